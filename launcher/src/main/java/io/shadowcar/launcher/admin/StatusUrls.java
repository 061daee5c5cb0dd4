package io.shadowcar.launcher.admin;

import io.netty.util.NetUtil;
import io.shadowcar.eureka.EurekaConfig;
import io.shadowcar.launcher.config.ListenAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * Checks that the health and status URLs Eureka is given can be reached from other hosts: a URL naming the instance's
 * address while the port behind it listens on loopback (or on another address) only is a registration nobody can
 * probe, so balancers that follow it take the instance for dead.
 */
public final class StatusUrls {

  private StatusUrls() {}

  /**
   * One log line saying what is wrong and which keys fix it, or empty when the URLs can be reached (or Eureka
   * registration is off).
   *
   * @param eureka the registration, with the URLs it sends
   * @param servedBy where the port serving those URLs listens
   * @param servedByKey that port's host key, e.g. {@code shadowcar.health.host}
   */
  public static Optional<String> warning(EurekaConfig eureka, ListenAddress servedBy, String servedByKey) {
    URI url = eureka.healthCheckUrl();
    if (!eureka.enabled() || url == null || url.getHost() == null) {
      return Optional.empty();
    }
    String urlHost = Loopback.bare(url.getHost());
    String listenHost = servedBy.host();
    boolean unreachable = Loopback.isLoopbackHost(listenHost) && !Loopback.isLoopbackHost(urlHost)
        || isOtherAddress(listenHost, urlHost);
    if (!unreachable) {
      return Optional.empty();
    }
    return Optional.of("Eureka registers healthCheckUrl " + url + " and statusPageUrl " + eureka.statusPageUrl()
        + ", but that port listens on " + listenHost + " only: balancers and Eureka clients on other hosts cannot "
        + "reach them. Listen where " + urlHost + " reaches (" + servedByKey + "=0.0.0.0), or use the health port "
        + "(shadowcar.health.host / shadowcar.health.port)");
  }

  /** Both are IP literals, the listener's a specific one, and they differ. */
  private static boolean isOtherAddress(String listenHost, String urlHost) {
    byte[] listen = NetUtil.createByteArrayFromIpAddressString(Loopback.bare(listenHost));
    byte[] target = NetUtil.createByteArrayFromIpAddressString(urlHost);
    return listen != null && target != null && !Loopback.isWildcardHost(listenHost) && !Arrays.equals(listen, target);
  }
}
