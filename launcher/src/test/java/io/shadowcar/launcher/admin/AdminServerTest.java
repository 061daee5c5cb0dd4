package io.shadowcar.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The start-up warning for an admin token that would cross the network in clear text. */
class AdminServerTest {

  @Test
  void warnsOnlyWhenThePortListensOffLoopbackWithoutTls() {
    assertEquals(Optional.of("the admin port listens on 0.0.0.0 without TLS: the admin token and every answer "
        + "(/metrics, /api/config) cross the network in clear text; set shadowcar.admin.tls.certFile and "
        + "shadowcar.admin.tls.keyFile to serve it over HTTPS"), AdminServer.clearTextWarning("0.0.0.0", false));
    assertEquals(Optional.empty(), AdminServer.clearTextWarning("10.0.0.5", true), "TLS protects the token");
    assertEquals(Optional.empty(), AdminServer.clearTextWarning("127.0.0.1", false), "loopback stays on the host");
    assertEquals(Optional.empty(), AdminServer.clearTextWarning("::1", false));
  }
}
