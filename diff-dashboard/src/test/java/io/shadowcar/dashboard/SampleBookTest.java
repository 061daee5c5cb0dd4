package io.shadowcar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.diff.Verdict;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleBookTest {

  private static StoredExchange example(long id, String endpoint) {
    return new StoredExchange(id, id, endpoint, Verdict.DIFFERENT,
        new StoredRequest("r" + id, "GET", "/", List.of(), StoredBody.of(new byte[0], false, 10)), null, null, null,
        List.of(), List.of(), List.of());
  }

  @Test
  void anExampleFiledUnderSeveralBucketsIsDroppedOnlyWhenNoBucketKeepsIt() {
    SampleBook book = new SampleBook(1, 2, 100, 10);
    book.add(example(1, "e"), List.of("#different", "body.a"));
    book.add(example(2, "e"), List.of("body.a"));
    assertTrue(book.holds(1), "still the newest of #different");
    book.add(example(3, "e"), List.of("#different"));
    book.add(example(4, "e"), List.of("#different"));
    assertFalse(book.holds(1));
    assertEquals(List.of(4L, 3L), book.samples("e", "#different", 0).stream().map(StoredExchange::id).toList());
  }

  @Test
  void theGlobalCapDropsTheOldestFirst() {
    SampleBook book = new SampleBook(5, 5, 3, 10);
    for (long id = 1; id <= 5; id++) {
      book.add(example(id, "e" + id), List.of("#different"));
    }
    assertEquals(3, book.size());
    assertFalse(book.holds(2));
    assertTrue(book.holds(3));
  }

  @Test
  void bucketsPerEndpointAreCapped() {
    SampleBook book = new SampleBook(5, 5, 100, 2);
    Set<String> entered = book.add(example(1, "e"), List.of("#different", "body.a", "body.b"));
    assertEquals(Set.of("#different", "body.a"), entered);
  }
}
