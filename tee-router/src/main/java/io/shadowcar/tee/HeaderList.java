package io.shadowcar.tee;

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
}
