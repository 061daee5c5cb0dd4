package io.shadowcar.health;

import java.util.Map;

/**
 * A part of the sidecar that shows its state under {@code GET /api/status} (Eureka registration, templates, ...).
 * {@link #status()} is called on an HTTP request: it must return a cached, cheap, JSON-serialisable map and never
 * block or do I/O.
 */
public interface StatusContributor {

  /** The key under which {@link #status()} appears in {@code /api/status}, e.g. {@code "eureka"}. */
  String name();

  /** Current state: values are strings, numbers, booleans, lists or maps of those. */
  Map<String, Object> status();
}
