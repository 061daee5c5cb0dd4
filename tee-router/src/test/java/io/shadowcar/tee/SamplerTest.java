package io.shadowcar.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SamplerTest {

  @Test
  void findsCookieAndQueryValuesByExactName() {
    long value = Sampler.hash("u-42", 0, 4);
    assertEquals(value, Sampler.pairHash("a=1; sid=u-42; b=2", 0, ';', "sid"));
    assertEquals(value, Sampler.pairHash("xsid=9; sid=u-42", 0, ';', "sid"));
    assertEquals(value, Sampler.pairHash("/p?x=1&sid=u-42&y=2", 3, '&', "sid"));
    assertEquals(value, Sampler.pairHash("/p?sid=u-42#frag", 3, '&', "sid"));
    assertEquals(-1, Sampler.pairHash("/p?sidx=u-42", 3, '&', "sid"));
    assertEquals(-1, Sampler.pairHash("a=1; b=2", 0, ';', "sid"));
  }

  @Test
  void hashIsStableAndSpreads() {
    assertEquals(Sampler.hash("user-1", 0, 6), Sampler.hash("xuser-1", 1, 7));
    assertNotEquals(Sampler.hash("user-1", 0, 6), Sampler.hash("user-2", 0, 6));
  }
}
