package io.shadowcar.tee;

import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.util.List;
import java.util.Map;

/** Look-ups over immutable header lists (name/value pairs in order). */
final class HeaderList {

  private HeaderList() {}

  static String first(List<Map.Entry<String, String>> headers, String name) {
    for (Map.Entry<String, String> e : headers) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * A map without a validator of its own: the fields were decoded from a valid request, and the client validates
   * each once more when it copies the map into its request.
   */
  static MultiMap toMultiMap(List<Map.Entry<String, String>> headers) {
    MultiMap map = HeadersMultiMap.caseInsensitive();
    for (Map.Entry<String, String> e : headers) {
      map.add(e.getKey(), e.getValue());
    }
    return map;
  }
}
