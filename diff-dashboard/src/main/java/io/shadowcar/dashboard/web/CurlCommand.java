package io.shadowcar.dashboard.web;

import io.shadowcar.dashboard.StoredBody;
import io.shadowcar.dashboard.StoredRequest;
import io.shadowcar.diff.HttpHeader;
import java.util.Locale;
import java.util.Set;

/** A shell command that sends an example's request again: for copying from the page into a terminal. */
final class CurlCommand {

  /** Headers curl sets itself or that only make sense hop by hop. */
  private static final Set<String> SKIPPED = Set.of("host", "content-length", "connection", "keep-alive",
      "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection");

  private CurlCommand() {}

  /**
   * {@code curl} with the method, URL (origin-form targets get {@code http://} and the Host header, or
   * {@code localhost} without one), headers and body; a non-UTF-8 body is piped through {@code base64 -d}.
   */
  static String of(StoredRequest request) {
    StringBuilder sb = new StringBuilder();
    StoredBody body = request.body();
    boolean hasBody = body != null && body.size() > 0;
    boolean binary = hasBody && StoredBody.BASE64.equals(body.encoding());
    if (binary) {
      sb.append("printf %s ").append(quote(body.text())).append(" | base64 -d | ");
    }
    sb.append("curl -sS");
    String method = request.method().toUpperCase(Locale.ROOT);
    if (method.equals("HEAD")) {
      sb.append(" --head");
    } else if (!method.equals("GET") || hasBody) {
      sb.append(" -X ").append(quoteIfNeeded(method));
    }
    sb.append(' ').append(quote(url(request)));
    for (HttpHeader h : request.headers()) {
      if (!SKIPPED.contains(h.name().toLowerCase(Locale.ROOT))) {
        sb.append(" -H ").append(quote(h.name() + ": " + h.value()));
      }
    }
    if (hasBody) {
      sb.append(" --data-binary ").append(binary ? "@-" : quote(body.text()));
      if (body.truncated()) {
        sb.append("  # body cut: the original had ").append(body.size()).append(" bytes");
      }
    }
    return sb.toString();
  }

  private static String url(StoredRequest request) {
    String uri = request.uri();
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      return uri;
    }
    String host = null;
    for (HttpHeader h : request.headers()) {
      if (h.name().equalsIgnoreCase("host")) {
        host = h.value();
      }
    }
    return "http://" + (host == null ? "localhost" : host) + (uri.startsWith("/") ? uri : "/" + uri);
  }

  private static String quoteIfNeeded(String token) {
    return token.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_') ? token : quote(token);
  }

  /** Single-quoted for POSIX shells: nothing inside is expanded; a quote is written {@code '\''}. */
  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
