package io.shadowcar.proxy;

import io.netty.util.AsciiString;
import io.shadowcar.common.headers.HeaderTokens;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Header rules of the proxy: what crosses it end to end, what it adds.
 *
 * <p>Hop-by-hop headers (RFC 9110 §7.6.1: {@code Connection} and every header it names, {@code Keep-Alive},
 * {@code TE}, {@code Transfer-Encoding}, {@code Upgrade}, and {@code Proxy-*}) describe one connection and are
 * dropped in both directions; framing is recomputed for the next hop. {@code TE: trailers} is the exception that is
 * passed on as such: the proxy forwards trailers, and gRPC servers expect it. Everything else is copied in order,
 * repeated headers included ({@code Trailer}, which announces trailer fields, among them). Names and values are
 * never re-encoded.
 */
public final class ForwardedHeaders {

  public static final String X_REQUEST_ID = "x-request-id";
  /** {@link #X_REQUEST_ID} for the per-request lookups and sets: its hash is computed once, not at every call. */
  static final CharSequence X_REQUEST_ID_NAME = HttpHeaders.createOptimized(X_REQUEST_ID);
  public static final String X_FORWARDED_FOR = "x-forwarded-for";
  public static final String X_FORWARDED_PROTO = "x-forwarded-proto";
  public static final String X_FORWARDED_HOST = "x-forwarded-host";
  public static final String FORWARDED = "forwarded";
  private static final String TE = "te";
  private static final String TRAILERS = "trailers";

  private ForwardedHeaders() {}

  /** True for a header that only concerns one connection (excluding those named by {@code Connection}). */
  public static boolean isHopByHop(CharSequence name) {
    int len = name.length();
    if (len < 2) {
      return false;
    }
    switch (name.charAt(0) | 0x20) {
      case 'c':
        return len == 10 && AsciiString.contentEqualsIgnoreCase(name, "connection");
      case 'k':
        return len == 10 && AsciiString.contentEqualsIgnoreCase(name, "keep-alive");
      case 't':
        return (len == 2 && (name.charAt(1) | 0x20) == 'e')
            || (len == 17 && AsciiString.contentEqualsIgnoreCase(name, "transfer-encoding"));
      case 'u':
        return len == 7 && AsciiString.contentEqualsIgnoreCase(name, "upgrade");
      case 'p':
        return len > 6 && AsciiString.regionMatches(name, true, 0, "proxy-", 0, 6);
      default:
        return false;
    }
  }

  /**
   * The fields of {@code headers} as decoded. A map Vert.x decoded from HTTP/1.x holds Netty {@link AsciiString}s:
   * read as such they are not copied into Strings, keep their cached hash, and go back on the wire as a byte copy
   * instead of a char-by-char encoding. Other maps give their Strings.
   */
  @SuppressWarnings("unchecked")
  static Iterator<Map.Entry<CharSequence, CharSequence>> fields(MultiMap headers) {
    if (headers instanceof io.netty.handler.codec.http.HttpHeaders decoded) {
      return decoded.iteratorCharSequence();
    }
    return (Iterator<Map.Entry<CharSequence, CharSequence>>) (Iterator<?>) headers.iterator();
  }

  /**
   * A header map for fields copied from a decoded head, without a validator: the decoder validated the caller's
   * fields, and the client validates every field once more when it copies the map into its request.
   */
  static MultiMap unvalidated() {
    return HeadersMultiMap.caseInsensitive();
  }

  /**
   * The headers to send to the primary for {@code request}: its end-to-end headers minus those the policy removes,
   * {@code Host} (the caller's authority, also for HTTP/2 callers; for an absolute-form target its authority, which
   * replaces the caller's {@code Host} as RFC 9112 §3.2.2 says), {@code X-Request-Id} set to {@code requestId} (in the
   * caller's place when it is the caller's, any other copies dropped), and the forwarding headers:
   * <ul>
   *   <li>from a {@linkplain TrustedProxies trusted} peer, {@code X-Forwarded-For} with the peer appended,
   *       {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} kept or else set, {@code Forwarded} kept;</li>
   *   <li>from anyone else, whatever the caller wrote in {@code X-Forwarded-For}, {@code -Proto}, {@code -Host},
   *       {@code -Port}, {@code X-Real-IP} and {@code Forwarded} is dropped, and {@code X-Forwarded-For},
   *       {@code -Proto}, {@code -Host} say what the proxy sees (the peer, the scheme, the Host). A dropped
   *       {@code Forwarded} is replaced by one element of the same facts.</li>
   * </ul>
   *
   * @param client the peer's address ({@link #clientAddress}), which the caller needs too: Vert.x formats it anew on
   *     each call
   */
  public static MultiMap forRequest(HttpServerRequest request, String client, ForwardingPolicy policy,
      String requestId) {
    MultiMap in = request.headers();
    MultiMap out = unvalidated();
    String[] named = connectionTokens(in);
    boolean trusted = policy.trustedProxies().trusts(client);
    String forwardedFor = null;
    String absolute = request.version() == HttpVersion.HTTP_2 ? null : Framing.absoluteAuthority(request.uri());
    boolean hasHost = absolute != null;
    boolean hasProto = false;
    boolean hasForwardedHost = false;
    boolean hadForwarded = false;
    boolean idPlaced = false;
    boolean teTrailers = false;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> fields = fields(in); fields.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = fields.next();
      CharSequence name = header.getKey();
      CharSequence value = header.getValue();
      if (isHopByHop(name) || isNamed(name, named) || policy.removes(name)) {
        teTrailers |= name.length() == 2 && AsciiString.contentEqualsIgnoreCase(name, TE)
            && HeaderTokens.contains(value.toString(), TRAILERS);
        continue;
      }
      if (name.length() == 4 && AsciiString.contentEqualsIgnoreCase(name, "host")) {
        if (absolute != null) {
          continue;
        }
        hasHost = true;
      } else if (name.length() == 12 && AsciiString.contentEqualsIgnoreCase(name, X_REQUEST_ID)) {
        if (idPlaced || !AsciiString.contentEquals(value, requestId)) {
          continue;
        }
        idPlaced = true;
      } else if (isForwarding(name)) {
        hadForwarded |= AsciiString.contentEqualsIgnoreCase(name, FORWARDED);
        if (!trusted) {
          continue;
        }
        if (name.length() == 15 && AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_FOR)) {
          forwardedFor = forwardedFor == null ? value.toString() : forwardedFor + ", " + value;
          continue;
        }
        hasProto |= name.length() == 17 && AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_PROTO);
        hasForwardedHost |= name.length() == 16 && AsciiString.contentEqualsIgnoreCase(name, X_FORWARDED_HOST);
      }
      out.add(name, value);
    }
    String host = absolute;
    if (host == null) {
      HostAndPort authority = request.authority();
      host = authority == null ? null : authorityText(authority);
    }
    if ((!hasHost || absolute != null) && host != null) {
      out.add(HttpHeaders.HOST, host);
    }
    if (client != null) {
      out.add(X_FORWARDED_FOR, forwardedFor == null ? client : forwardedFor + ", " + client);
    } else if (forwardedFor != null) {
      out.add(X_FORWARDED_FOR, forwardedFor);
    }
    String scheme = request.scheme() == null ? "http" : request.scheme();
    if (!hasProto) {
      out.add(X_FORWARDED_PROTO, scheme);
    }
    if (!hasForwardedHost && host != null) {
      out.add(X_FORWARDED_HOST, host);
    }
    if (hadForwarded && !trusted) {
      out.add(FORWARDED, forwardedElement(client, scheme, host));
    }
    if (!idPlaced) {
      out.add(X_REQUEST_ID, requestId);
    }
    if (teTrailers) {
      out.add(TE, TRAILERS);
    }
    return out;
  }

  /** Any {@code X-Forwarded-*}, {@code X-Real-IP} or {@code Forwarded}: believed from trusted peers only. */
  private static boolean isForwarding(CharSequence name) {
    if (name.length() == 9) {
      return AsciiString.contentEqualsIgnoreCase(name, FORWARDED)
          || AsciiString.contentEqualsIgnoreCase(name, "x-real-ip");
    }
    return name.length() > 12 && AsciiString.regionMatches(name, true, 0, "x-forwarded-", 0, 12);
  }

  /** One RFC 7239 element: {@code for="[::1]";proto=http;host="a:8080"} (quoted where the syntax needs it). */
  static String forwardedElement(String client, String scheme, String host) {
    StringBuilder element = new StringBuilder();
    if (client != null) {
      element.append("for=").append(client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client);
    }
    element.append(element.length() > 0 ? ";" : "").append("proto=").append(scheme);
    if (host != null) {
      element.append(";host=\"").append(host.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return element.toString();
  }

  /** Copies the end-to-end headers of a response into {@code to}, keeping order and repeats. */
  public static void copyResponse(MultiMap from, MultiMap to) {
    String[] named = connectionTokens(from);
    for (Iterator<Map.Entry<CharSequence, CharSequence>> fields = fields(from); fields.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = fields.next();
      CharSequence name = header.getKey();
      if (!isHopByHop(name) && !isNamed(name, named)) {
        to.add(name, header.getValue());
      }
    }
  }

  private static String authorityText(HostAndPort authority) {
    int port = authority.port();
    return port < 0 ? authority.host() : authority.host() + ":" + port;
  }

  private static final String[] NO_TOKENS = new String[0];

  /** The caller's IP address as text, or {@code null} when the transport has none (e.g. a Unix socket). */
  static String clientAddress(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }

  /** The {@code Connection} tokens that name no header. */
  private static final String[] NAMING_NO_HEADER = {"close", "keep-alive"};

  /** Header names listed in {@code Connection}, minus {@code close}/{@code keep-alive} which name no header. */
  static String[] connectionTokens(MultiMap headers) {
    if (!headers.contains(HttpHeaders.CONNECTION) || onlyNamingNoHeader(headers)) {
      return NO_TOKENS;
    }
    List<String> tokens = new ArrayList<>(2);
    for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
      HeaderTokens.forEachElement(value, token -> {
        if (!token.equalsIgnoreCase("close") && !token.equalsIgnoreCase("keep-alive")) {
          tokens.add(token);
        }
      });
    }
    return tokens.toArray(NO_TOKENS);
  }

  /**
   * True when every {@code Connection} field lists only {@code close} or {@code keep-alive}, as nearly every answer
   * of a pooled primary does: read in place, where {@code getAll} and the split would allocate on every exchange.
   */
  private static boolean onlyNamingNoHeader(MultiMap headers) {
    for (Iterator<Map.Entry<CharSequence, CharSequence>> fields = fields(headers); fields.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = fields.next();
      CharSequence name = header.getKey();
      if (name.length() == 10 && AsciiString.contentEqualsIgnoreCase(name, HttpHeaders.CONNECTION)
          && !HeaderTokens.allAmong(header.getValue().toString(), NAMING_NO_HEADER)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNamed(CharSequence name, String[] named) {
    for (String token : named) {
      if (AsciiString.contentEqualsIgnoreCase(token, name)) {
        return true;
      }
    }
    return false;
  }
}
