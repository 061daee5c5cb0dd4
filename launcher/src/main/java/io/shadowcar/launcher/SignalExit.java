package io.shadowcar.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * A graceful stop on SIGTERM or SIGINT that ends in a normal JVM exit with the stop's own status: 0 when everything
 * stopped cleanly, 1 otherwise.
 *
 * <p>Why not a shutdown hook alone: by the time a hook runs, the JVM has already chosen the status (143 for SIGTERM),
 * and the only way to report a clean stop as 0 from a hook is {@code Runtime.halt}, which skips what the JVM does after
 * the hooks: deleting the files libraries asked to delete on exit. SQLite's driver extracts its 1.1 MiB native library
 * (and a lock file) into {@code java.io.tmpdir} on every start and asks for both to be deleted at exit; halting left
 * them behind on every stop, so a host that restarts its sidecar filled its temporary directory. Catching the signal
 * instead, the stop runs first and then {@code System.exit} runs the hooks and the deletions like any exit.
 *
 * <p>The handlers are installed through {@code sun.misc.Signal} by reflection: it is the JDK's only way to handle a
 * signal (module {@code jdk.unsupported}), and naming it in source makes javac warn on every build with no way to
 * silence it. Where it cannot be used (a JVM without it, or run with {@code -Xrs}), {@link #install} says so and the
 * JVM's own handling applies: the shutdown hook still stops the sidecar in order, with the JVM's status (with
 * {@code -Xrs} the JVM ends at once, without hooks). A signal ignored when the process started (SIGINT for a command
 * a script ran in the background) stays ignored, as the JVM leaves it.
 */
final class SignalExit {

  /** The signals a process manager or a terminal sends to stop a process. */
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private final BooleanSupplier stop;
  private final IntConsumer exit;
  private final AtomicBoolean begun = new AtomicBoolean();
  private final CompletableFuture<Boolean> stopped = new CompletableFuture<>();
  private final AtomicBoolean exiting = new AtomicBoolean();

  /**
   * @param stop stops everything in order, blocking; true when it stopped cleanly
   * @param exit ends the process with a status ({@code System::exit})
   */
  SignalExit(BooleanSupplier stop, IntConsumer exit) {
    this.stop = stop;
    this.exit = exit;
  }

  /**
   * Runs the stop once, whoever asks first (a signal or the shutdown hook); a later or concurrent caller waits for it
   * and gets the same answer.
   */
  boolean stopOnce() {
    if (begun.compareAndSet(false, true)) {
      try {
        stopped.complete(stop.getAsBoolean());
      } catch (RuntimeException | Error e) {
        stopped.complete(false);
        throw e;
      }
    }
    return stopped.join();
  }

  /** What a signal does: the first one stops on a thread of its own, then exits; a repeated signal changes nothing. */
  void onSignal() {
    if (!exiting.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(() -> exit.accept(stopOnce() ? Main.OK : Main.INVALID), "shadowcar-shutdown");
    thread.start();
  }

  /**
   * Installs {@link #onSignal} for SIGTERM and SIGINT.
   *
   * @return null when both are installed, else why not (the JVM's own handling then stays for the one that failed)
   */
  String install() {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Object handler = Proxy.newProxyInstance(SignalExit.class.getClassLoader(), new Class<?>[] {handlerClass},
          (proxy, method, args) -> switch (method.getName()) {
            case "handle" -> {
              onSignal();
              yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "shadowcar stop handler";
            default -> throw new UnsupportedOperationException(method.getName());
          });
      for (String name : SIGNALS) {
        handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
      }
      return null;
    } catch (InvocationTargetException e) {
      return String.valueOf(e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return e.toString();
    }
  }
}
