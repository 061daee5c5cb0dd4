package io.shadowcar.launcher.config;

import com.netflix.archaius.config.polling.PollingResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Reads a whole properties document per poll, from a file or a URL, with connect and read timeouts (Archaius's own
 * {@code URLConfigReader} has none, so a silent server would hold the poller for ever). A failed read throws, and
 * Archaius keeps the previous values.
 */
final class PropertiesSourceReader implements Callable<PollingResponse> {

  private final String name;
  private final Callable<InputStream> opener;

  private PropertiesSourceReader(String name, Callable<InputStream> opener) {
    this.name = name;
    this.opener = opener;
  }

  static PropertiesSourceReader file(Path file) {
    return new PropertiesSourceReader(file.toString(), () -> Files.newInputStream(file));
  }

  static PropertiesSourceReader url(URI url, Duration timeout) {
    return new PropertiesSourceReader(url.toString(), () -> {
      URLConnection connection = url.toURL().openConnection();
      int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setUseCaches(false);
      if (connection instanceof HttpURLConnection http && http.getResponseCode() / 100 != 2) {
        int status = http.getResponseCode();
        http.disconnect();
        throw new IOException(url + " answered HTTP " + status);
      }
      return connection.getInputStream();
    });
  }

  @Override
  public PollingResponse call() throws Exception {
    try (InputStream in = opener.call(); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      Map<String, String> values = new TreeMap<>();
      properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
      return PollingResponse.forSnapshot(values);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  /** Loads a static properties file (the {@code --config} file), throwing a clear message when it cannot. */
  static Map<String, String> load(Path file) throws IOException {
    try {
      return file(file).call().getToAdd();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
