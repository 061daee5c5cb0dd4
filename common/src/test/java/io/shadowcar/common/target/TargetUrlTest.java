package io.shadowcar.common.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "http://127.0.0.1:8080,          HTTP,  127.0.0.1,          8080, ''",
      "http://orders.internal,         HTTP,  orders.internal,    80,   ''",
      "HTTP://Orders.Internal:81/,     HTTP,  Orders.Internal,    81,   ''",
      "https://10.0.0.5:8443,          HTTPS, 10.0.0.5,           8443, ''",
      "https://orders.internal/api/v1/, HTTPS, orders.internal,   443,  /api/v1",
      "h2c://127.0.0.1:50051,          H2C,   127.0.0.1,          50051, ''",
      "h2c://grpc.internal,            H2C,   grpc.internal,      80,   ''",
      "http://[::1]:8080/base//,       HTTP,  ::1,                8080, /base",
      "' https://[2001:db8::5]:443 ',  HTTPS, 2001:db8::5,        443,  ''",
      "http://h:8080/a%20b,            HTTP,  h,                  8080, /a%20b"})
  void parsesEveryAcceptedForm(String text, TargetProtocol protocol, String host, int port, String prefix) {
    TargetUrl url = TargetUrl.parse(text);
    assertEquals(protocol, url.protocol());
    assertEquals(host, url.host());
    assertEquals(port, url.port());
    assertEquals(prefix, url.pathPrefix());
    assertEquals(text.strip(), url.toString());
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "  ", "127.0.0.1:8080", "orders", "ftp://orders", "ws://orders", "grpc://orders:1",
      "http://", "http:///path", "http://:8080", "http://user:secret@orders", "http://orders?x=1", "http://orders#top",
      "http://orders:0", "http://orders:65536", "http://or ders", "mailto:ops@example.com", "eureka:orders",
      "http://under_score:80"})
  void refusesEverythingElseWithTheAcceptedForms(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetUrl.parse(text));
    assertEquals("target: '" + text.strip() + "' (expected: http://, https:// or h2c://host[:port][/prefix])",
        e.getMessage());
  }

  @Test
  void codeBuiltUrlsFollowTheSameRules() {
    assertEquals(TargetUrl.parse("https://10.0.0.1:8443"), TargetUrl.of(URI.create("https://10.0.0.1:8443")));
    assertThrows(IllegalArgumentException.class, () -> TargetUrl.of(URI.create("tcp://10.0.0.1:1")));
  }

  @Test
  void tellsTlsAndAuthority() {
    assertTrue(TargetUrl.parse("https://a").tls());
    assertFalse(TargetUrl.parse("h2c://a").tls());
    assertEquals("[::1]:9000", TargetUrl.parse("h2c://[::1]:9000").authority());
    assertEquals("a:443", TargetUrl.parse("https://a").authority());
    assertTrue(TargetUrl.parse("https://10.0.0.5:8443").ipLiteral());
    assertTrue(TargetUrl.parse("https://[fe80::1]").ipLiteral());
    assertFalse(TargetUrl.parse("https://orders").ipLiteral());
    assertFalse(TargetUrl.parse("https://orders.internal").ipLiteral());
    assertFalse(TargetUrl.parse("https://1.example").ipLiteral());
  }
}
