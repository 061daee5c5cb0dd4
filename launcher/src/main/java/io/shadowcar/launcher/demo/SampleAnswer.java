package io.shadowcar.launcher.demo;

import io.vertx.core.json.JsonObject;

/** What a sample service answers: a status and a JSON body (the caller adds the fields every answer carries). */
record SampleAnswer(int status, JsonObject body) {

  static SampleAnswer ok(JsonObject body) {
    return new SampleAnswer(200, body);
  }

  static SampleAnswer error(int status, String message) {
    return new SampleAnswer(status, new JsonObject().put("error", message));
  }
}
