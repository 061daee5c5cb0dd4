package io.shadowcar.proxy.tls;

import java.util.List;
import java.util.Set;

/**
 * The TLS versions and cipher suites shadowcar speaks, on the traffic port and towards upstreams: TLS 1.2 and 1.3
 * only, and for TLS 1.2 only forward-secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305). CBC, RSA key
 * exchange, 3DES, RC4 and anything without forward secrecy are never offered. Names are the JDK's (IANA) names.
 */
public final class ModernTls {

  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private ModernTls() {}
}
