package io.shopstack.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

/**
 * What a stopped (or failed) server must not leave behind: threads of its instance and bound ports.
 * Thread names start with the instance name ({@code ServerLifecycle} names them so), so a test
 * gives each server a name no other test uses.
 */
public final class ServerLeftovers {
  private ServerLeftovers() {}

  /** A loopback port nobody listens on right now (another process could take it; none of ours). */
  public static int freePort() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names of live threads that belong to {@code instance}. */
  /**
   * Asserts that nothing accepts on {@code address} any more. The probe connects from another
   * loopback address: from the same one, a client whose ephemeral port happens to equal the closed
   * port connects to itself (TCP simultaneous open) and the check would fail by chance.
   */
  public static void assertRefused(InetSocketAddress address) {
    try {
      InetAddress from =
          InetAddress.getByName(
              address.getAddress().getHostAddress().equals("127.0.0.2")
                  ? "127.0.0.3"
                  : "127.0.0.2");
      try (java.net.Socket probe = new java.net.Socket()) {
        probe.bind(new InetSocketAddress(from, 0));
        probe.connect(address, 5_000);
      }
    } catch (java.net.ConnectException expected) {
      return;
    } catch (java.io.IOException e) {
      throw new AssertionError("probing " + address + " failed oddly: " + e, e);
    }
    throw new AssertionError("still accepting connections on " + address);
  }

  public static List<String> threadsOf(String instance) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(instance + "-"))
        .sorted()
        .toList();
  }

  /**
   * Waits (bounded) until no thread of {@code instance} is alive, then checks that every address
   * can be bound again.
   */
  public static void assertNothingLeftOpen(String instance, InetSocketAddress... released) {
    await("threads of " + instance + " to end")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(threadsOf(instance)).isEmpty());
    for (InetSocketAddress address : released) {
      try (ServerSocket again = new ServerSocket()) {
        again.bind(address);
      } catch (IOException e) {
        throw new AssertionError(address + " is still bound after the server stopped", e);
      }
    }
  }
}
