package io.shadowcar.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.common.config.InvalidConfigException;
import io.shadowcar.launcher.config.AdminAccessConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAccessTest {

  @TempDir Path dir;

  @Test
  void readsTheTokenFromTheFirstLineOfItsFile() throws Exception {
    Path file = Files.writeString(dir.resolve("admin-token"), "  from-a-secret \nignored\n");
    assertEquals(Optional.of("from-a-secret"),
        new AdminAccessConfig(Optional.empty(), Optional.of(file), List.of()).resolveToken());
    assertEquals(Optional.of("inline"),
        new AdminAccessConfig(Optional.of("inline"), Optional.empty(), List.of()).resolveToken());
  }

  @Test
  void anEmptyOrMissingTokenFileIsAConfigProblemOnItsKey() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    for (Path file : List.of(empty, dir.resolve("missing"))) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> new AdminAccessConfig(Optional.empty(), Optional.of(file), List.of()).resolveToken());
      assertEquals("shadowcar.admin.tokenFile: '" + file + "' (expected: a readable file whose first line is the "
          + "admin token)", e.problems().get(0).toString());
    }
  }

  @Test
  void matchesOnlyTheExactToken() {
    AdminAccess access = AdminAccess.of("0.0.0.0", Optional.of("t0ken"), List.of());
    assertTrue(access.tokenMatches("t0ken"));
    assertFalse(access.tokenMatches("t0ke"));
    assertFalse(access.tokenMatches("t0ken "));
    assertFalse(access.tokenMatches(""));
    assertFalse(AdminAccess.of("127.0.0.1", Optional.empty(), List.of()).tokenMatches(""));
  }

  @Test
  void knowsLoopbackAndWildcardHosts() {
    assertTrue(Loopback.isLoopbackHost("127.0.0.1"));
    assertTrue(Loopback.isLoopbackHost("127.4.5.6"));
    assertTrue(Loopback.isLoopbackHost("::1"));
    assertTrue(Loopback.isLoopbackHost("[::1]"));
    assertTrue(Loopback.isLoopbackHost("LOCALHOST"));
    assertTrue(Loopback.isLoopbackHost("app.localhost"));
    assertFalse(Loopback.isLoopbackHost("0.0.0.0"));
    assertFalse(Loopback.isLoopbackHost("10.0.0.1"));
    assertFalse(Loopback.isLoopbackHost("localhost.attacker.example"));
    assertTrue(Loopback.isWildcardHost("0.0.0.0"));
    assertTrue(Loopback.isWildcardHost("::"));
    assertFalse(Loopback.isWildcardHost("127.0.0.1"));
  }
}
