/**
 * The traffic port: {@link io.shadowcar.proxy.ProxyServer} forwards each caller request to a primary target and
 * streams the answer back, showing every exchange to a {@link io.shadowcar.proxy.tap.TrafficTap}.
 *
 * <p>Design: a lean forwarder on vertx-core's {@code HttpServer}/{@code HttpClient} rather than
 * {@code vertx-http-proxy}. The proxy needs per-chunk tap hooks, its own error mapping (502/503/504/400/414/431 with
 * metrics), breaker-aware balancing and byte-exact URIs, and it has to stay within reach of nginx's throughput; a
 * hand-written exchange does exactly that work and nothing more (no interceptor chain, no body wrappers, no
 * per-request timer: one deadline queue per event loop).
 *
 * <p>Threading: {@link io.shadowcar.proxy.ProxyConfig#eventLoops()} verticle instances share the listening socket;
 * each owns an HTTP server, a pooled HTTP/1.1 client and a deadline queue (handed to its exchanges as one
 * {@code LoopContext}), so an exchange lives on one event loop from accept to the last byte and {@code Exchange}
 * needs no synchronisation. Shared state ({@code TargetBalancer}, meters) is thread-safe. Nothing here blocks.
 */
package io.shadowcar.proxy;
