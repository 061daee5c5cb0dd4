package io.shadowcar.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shadowcar.launcher.config.NetworkTransport;
import io.shadowcar.testkit.SidecarTransport;
import io.vertx.core.transport.Transport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which transport {@code shadowcar.transport} gets, on machines that have some of them. */
class TransportChoiceTest {

  /** A transport as Vert.x describes one: available, or not with a cause. */
  private record Described(String name, Throwable unavailabilityCause) implements Transport {
    @Override
    public boolean available() {
      return unavailabilityCause == null;
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
      throw new UnsupportedOperationException();
    }
  }

  private static final Transport URING = new Described("io_uring", null);
  private static final Transport EPOLL = new Described("epoll", null);
  private static final Transport NIO = new Described("nio", null);
  private static final Transport URING_FORBIDDEN = new Described("io_uring",
      new IllegalStateException("ring setup failed", new RuntimeException("Operation not permitted")));

  private static final Map<NetworkTransport, Transport> EVERY_ONE =
      Map.of(NetworkTransport.IO_URING, URING, NetworkTransport.EPOLL, EPOLL, NetworkTransport.NIO, NIO);

  private static TransportChoice pick(NetworkTransport wanted, Map<NetworkTransport, Transport> machine) {
    return TransportChoice.pick(wanted, machine::get);
  }

  private static void assertPicks(Transport expected, String description, NetworkTransport wanted,
      Map<NetworkTransport, Transport> machine) {
    TransportChoice choice = pick(wanted, machine);
    assertSame(expected, choice.transport());
    assertEquals(description, choice.description());
  }

  @Test
  void autoTakesIoUringWhenTheMachineHasEveryTransport() {
    assertPicks(URING, "io_uring", NetworkTransport.AUTO, EVERY_ONE);
  }

  @Test
  void autoFallsBackToEpollAndSaysWhyWhenTheKernelForbidsIoUring() {
    assertPicks(EPOLL, "epoll (io_uring unavailable: Operation not permitted)", NetworkTransport.AUTO,
        Map.of(NetworkTransport.IO_URING, URING_FORBIDDEN, NetworkTransport.EPOLL, EPOLL, NetworkTransport.NIO, NIO));
  }

  @Test
  void autoEndsOnNioWhereNoNativeTransportIsShipped() {
    assertPicks(NIO, "nio (io_uring unavailable: not in this build; epoll unavailable: not in this build)",
        NetworkTransport.AUTO, Map.of(NetworkTransport.NIO, NIO));
  }

  @Test
  void aNamedTransportIsTakenEvenWhenABetterOneIsThere() {
    assertPicks(EPOLL, "epoll", NetworkTransport.EPOLL, EVERY_ONE);
  }

  @Test
  void aNamedTransportThatIsMissingStopsTheStartNamingTheKeyAndTheCause() {
    TransportUnavailableException refused = assertThrows(TransportUnavailableException.class,
        () -> pick(NetworkTransport.IO_URING, Map.of(NetworkTransport.IO_URING, URING_FORBIDDEN,
            NetworkTransport.EPOLL, EPOLL, NetworkTransport.NIO, NIO)));
    assertTrue(refused.getMessage().startsWith("shadowcar.transport=io_uring cannot be used here (io_uring "
        + "unavailable: Operation not permitted)"), refused.getMessage());
  }

  /** The testkit builds the modules' test Vert.x on the same transport, or they test another one. */
  @Test
  void theTestsRunOnTheTransportAutoTakesOnThisMachine() {
    assertSame(TransportChoice.pick(NetworkTransport.AUTO).transport(), SidecarTransport.transport());
  }

  @Test
  void theKeyAcceptsEachTransportByNameInAnyCaseAndNothingElse() {
    assertEquals(NetworkTransport.IO_URING, NetworkTransport.parse("io_uring"));
    assertEquals(NetworkTransport.EPOLL, NetworkTransport.parse("EPOLL"));
    assertEquals(NetworkTransport.AUTO, NetworkTransport.parse("auto"));
    assertEquals(null, NetworkTransport.parse("uring"));
  }
}
