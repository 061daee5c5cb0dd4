package io.shadowcar.diff;

import java.math.BigDecimal;

/**
 * Diffy's rule for telling a real difference from noise, per endpoint and field path. A field is REAL only when
 * all three hold:
 * <pre>
 *   raw &gt; noise
 *   |raw − noise| / (raw + noise) × 100 &gt; relativeThreshold
 *   |raw − noise| / requests × 100      &gt; absoluteThreshold
 * </pre>
 * where {@code raw} counts exchanges with a primary-vs-candidate difference at the path, {@code noise} exchanges
 * with a primary-vs-secondary difference there, and {@code requests} the endpoint's exchanges. Computed in exact
 * decimal arithmetic, so an edge ({@code 6} vs {@code 4} at 20 %) is never tipped by floating point.
 */
public final class NoiseRule {

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final BigDecimal relativeThreshold;
  private final BigDecimal absoluteThreshold;

  public NoiseRule(double relativeThreshold, double absoluteThreshold) {
    this.relativeThreshold = BigDecimal.valueOf(relativeThreshold);
    this.absoluteThreshold = BigDecimal.valueOf(absoluteThreshold);
  }

  public static NoiseRule of(DiffConfig config) {
    return new NoiseRule(config.relativeThreshold(), config.absoluteThreshold());
  }

  public boolean isReal(long raw, long noise, long requests) {
    if (raw <= noise || requests <= 0) {
      return false;
    }
    BigDecimal excess = BigDecimal.valueOf(raw - noise).multiply(HUNDRED);
    return excess.compareTo(relativeThreshold.multiply(BigDecimal.valueOf(raw + noise))) > 0
        && excess.compareTo(absoluteThreshold.multiply(BigDecimal.valueOf(requests))) > 0;
  }

  /** REAL or NOISE by the rule; IGNORED when only ignored differences were seen at the path. */
  public FieldClass classify(long raw, long noise, long ignored, long requests) {
    if (raw == 0 && noise == 0 && ignored > 0) {
      return FieldClass.IGNORED;
    }
    return isReal(raw, noise, requests) ? FieldClass.REAL : FieldClass.NOISE;
  }
}
