package io.shadowcar.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoiseRuleTest {

  private final NoiseRule rule = NoiseRule.of(DiffConfig.defaults());

  @Test
  void equalCountsAreNeverReal() {
    assertFalse(rule.isReal(50, 50, 100));
    assertFalse(rule.isReal(0, 0, 100));
  }

  @Test
  void fewerRawThanNoiseIsNotReal() {
    assertFalse(rule.isReal(3, 40, 100));
  }

  @Test
  void exactlyTwentyPercentRelativeIsNotRealButJustAboveIs() {
    // |6 - 4| / (6 + 4) * 100 = 20.0: not above the threshold
    assertFalse(rule.isReal(6, 4, 10));
    // |61 - 40| / 101 * 100 = 20.79...
    assertTrue(rule.isReal(61, 40, 101));
    // |3 - 2| / 5 * 100 = 20.0 and |7 - 5| / 12 * 100 = 16.7
    assertFalse(rule.isReal(3, 2, 5));
    assertFalse(rule.isReal(7, 5, 12));
  }

  @Test
  void exactlyTheAbsoluteThresholdIsNotRealButJustAboveIs() {
    // 3 / 10000 * 100 = 0.03: not above 0.03 (exact arithmetic, no floating-point tip)
    assertFalse(rule.isReal(3, 0, 10_000));
    assertTrue(rule.isReal(3, 0, 9_999));
    assertTrue(rule.isReal(4, 0, 10_000));
  }

  @Test
  void rawWithoutNoiseIsRealOnceAboveBothThresholds() {
    assertTrue(rule.isReal(1, 0, 1));
    assertFalse(rule.isReal(1, 0, 1_000_000));
  }

  @Test
  void thresholdsAreConfigurable() {
    NoiseRule strict = new NoiseRule(50.0, 1.0);
    // 6 vs 4: 20 % relative, not above 50
    assertFalse(strict.isReal(6, 4, 10));
    // 9 vs 1: 80 % relative, 80 % absolute
    assertTrue(strict.isReal(9, 1, 10));
    // 2 vs 0 of 200 requests: 1 % absolute, not above 1.0
    assertFalse(strict.isReal(2, 0, 200));
  }

  @Test
  void classifiesOnlyIgnoredPathsAsIgnored() {
    assertEquals(FieldClass.IGNORED, rule.classify(0, 0, 5, 10));
    assertEquals(FieldClass.NOISE, rule.classify(0, 3, 5, 10));
    assertEquals(FieldClass.REAL, rule.classify(5, 0, 2, 10));
    assertEquals(FieldClass.NOISE, rule.classify(5, 5, 0, 10));
  }
}
