package io.shadowcar.dashboard;

import io.shadowcar.diff.DiffResult;
import io.shadowcar.diff.Difference;
import io.shadowcar.diff.ExchangeSample;
import io.shadowcar.diff.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * An example exchange as the dashboard keeps it: the request, the three answers (bodies cut to a cap) and the
 * differences found. Immutable; written to the store as JSON.
 *
 * @param id increasing with time, unique in one store
 * @param endpoint the endpoint key it was counted under
 * @param secondary null when no secondary was asked
 */
public record StoredExchange(
    long id,
    long recordedAtMillis,
    String endpoint,
    Verdict verdict,
    StoredRequest request,
    StoredResponse primary,
    StoredResponse candidate,
    StoredResponse secondary,
    List<Difference> differences,
    List<Difference> noise,
    List<Difference> ignored) {

  public StoredExchange {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(verdict, "verdict");
    differences = List.copyOf(differences);
    noise = List.copyOf(noise);
    ignored = List.copyOf(ignored);
  }

  static StoredExchange of(long id, long at, String endpoint, Verdict verdict, ExchangeSample sample,
      DiffResult result, int maxBodyBytes) {
    return new StoredExchange(id, at, endpoint, verdict, StoredRequest.of(sample.request(), maxBodyBytes),
        StoredResponse.of(sample.primary(), maxBodyBytes), StoredResponse.of(sample.candidate(), maxBodyBytes),
        StoredResponse.of(sample.secondary(), maxBodyBytes), result.differences(), result.noise(),
        result.ignored());
  }
}
