package io.shadowcar.common.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token lists of {@code Connection}, {@code TE}, {@code Keep-Alive} and {@code Upgrade} as peers write them. */
class HeaderTokensTest {

  @ParameterizedTest(name = "''{0}'' lists ''{1}'': {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      close                     | close      | true
      Keep-Alive                | keep-alive | true
      Upgrade, close            | close      | true
      " upgrade ,\tCLOSE\t"     | close      | true
      deflate;q=0.5, trailers   | trailers   | true
      trailers;q=1              | trailers   | true
      ",,close,"                | close      | true
      closed                    | close      | false
      unclose                   | close      | false
      x-close, keep-alive-ish   | close      | false
      keep-alive-ish            | keep-alive | false
      a;close                   | close      | false
      ""                        | close      | false
      " , "                     | close      | false
      """)
  void findsATokenInAnyCaseAndPlaceButNotInsideAnotherOrInItsParameters(String value, String token,
      boolean listed) {
    assertEquals(listed, HeaderTokens.contains(value, token));
  }

  @ParameterizedTest(name = "''{0}'': {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      timeout=5                      | 5
      "max=100, Timeout = 15 "       | 15
      timeout=60, max=1000           | 60
      timeout=0                      | 0
      max=100                        | -1
      timeout=                       | -1
      timeout=soon                   | -1
      timeout=-3                     | -1
      =5, timeouts=5, mytimeout=5    | -1
      ""                             | -1
      """)
  void readsTheKeepAliveTimeoutAndRefusesWhatIsNotANumberOfSeconds(String value, long seconds) {
    assertEquals(seconds, HeaderTokens.keepAliveTimeoutSeconds(value));
  }

  @ParameterizedTest(name = "''{0}'' only close or keep-alive: {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      keep-alive                | true
      " Close ,, KEEP-ALIVE\t" | true
      ""                        | true
      keep-alive, x-hop         | false
      x-hop                     | false
      keep-alive;x              | false
      closed                    | false
      """)
  void tellsAValueListingOnlyTheGivenTokensFromOneListingAnother(String value, boolean only) {
    assertEquals(only, HeaderTokens.allAmong(value, new String[] {"close", "keep-alive"}));
  }

  @Test
  void givesEveryElementTrimmedInOrderButTheEmptyOnes() {
    List<String> elements = new ArrayList<>();
    HeaderTokens.forEachElement(" Upgrade ,, x-trace;q=1 ,\tHTTP2-Settings\t, ,", elements::add);
    assertEquals(List.of("Upgrade", "x-trace;q=1", "HTTP2-Settings"), elements);

    HeaderTokens.forEachElement("", elements::add);
    HeaderTokens.forEachElement(" , ,\t", elements::add);
    assertEquals(3, elements.size());
  }

  @Test
  void anElementTestStopsAtTheFirstThatPasses() {
    List<String> seen = new ArrayList<>();
    assertTrue(HeaderTokens.anyElement("websocket/13, h2c, h2c", element -> {
      seen.add(element);
      return element.equals("h2c");
    }));
    assertEquals(List.of("websocket/13", "h2c"), seen);
    assertFalse(HeaderTokens.anyElement("websocket", "h2c"::equals));
  }

  @Test
  @Timeout(10) // milliseconds in one pass; a search past each element's end would read the value a million times
  void aLongListIsReadInOnePassNotOncePerElement() {
    String many = ",".repeat(1_000_000) + "close";
    assertTrue(HeaderTokens.contains(many, "close"));
    assertEquals(-1, HeaderTokens.keepAliveTimeoutSeconds(many));
  }
}
