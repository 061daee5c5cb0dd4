package io.shadowcar.common.headers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {

  private final HeaderNames names = HeaderNames.of(List.of("Connection", "x-api-key", "TE", "X-API-Key"));

  @Test
  void matchesMembersInAnyCase() {
    assertTrue(names.contains("connection"));
    assertTrue(names.contains("CONNECTION"));
    assertTrue(names.contains("X-Api-Key"));
    assertTrue(names.contains("te"));
  }

  @Test
  void refusesOtherNamesOfAMembersLengthAndOfNoMembersLength() {
    assertFalse(names.contains("Connexion")); // as long as x-api-key: compared, and refused
    assertFalse(names.contains("x-api-kez"));
    assertFalse(names.contains("Host")); // no member of 4 characters
    assertFalse(names.contains("X-Forwarded-For-And-Much-Longer-Than-Any-Member"));
    assertFalse(names.contains(""));
  }

  @Test
  void anEmptySetHoldsNothing() {
    HeaderNames none = HeaderNames.of(List.of());
    assertTrue(none.isEmpty());
    assertFalse(none.contains(""));
    assertFalse(none.contains("Host"));
    assertFalse(names.isEmpty());
  }
}
