package io.shopstack.slb;

import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listening sockets the SLB this one replaces handed over ({@code --listeners-from}), by the
 * address each is bound to. A frontend claims those of its listen addresses and accepts on them
 * instead of binding sockets of its own; those of addresses the new configuration no longer has are
 * closed here once every frontend is open (the old SLB's copies close when it stops).
 */
final class InheritedListeners {
  private final Map<InetSocketAddress, Deque<Integer>> byAddress = new LinkedHashMap<>();

  static InheritedListeners none() {
    return new InheritedListeners(List.of());
  }

  /** The descriptors received, each asked for its address ({@code getsockname}). */
  InheritedListeners(List<Integer> descriptors) {
    for (int fd : descriptors) {
      InetSocketAddress bound = LinuxSocket.newSocket(fd).localAddress();
      byAddress.computeIfAbsent(bound, a -> new ArrayDeque<>()).add(fd);
    }
  }

  /** One socket bound to {@code address}, or null when none (is left). */
  synchronized Integer claim(InetSocketAddress address) {
    Deque<Integer> sockets = byAddress.get(address);
    return sockets == null ? null : sockets.poll();
  }

  /** Every socket of {@code address} not claimed yet, now claimed. */
  synchronized List<Integer> claimRest(InetSocketAddress address) {
    Deque<Integer> sockets = byAddress.remove(address);
    return sockets == null ? List.of() : new ArrayList<>(sockets);
  }

  synchronized int size() {
    return byAddress.values().stream().mapToInt(Deque::size).sum();
  }

  /** Closes the sockets nobody claimed; their addresses, for the log. */
  synchronized List<InetSocketAddress> closeUnclaimed() {
    List<InetSocketAddress> closed = new ArrayList<>();
    byAddress.forEach(
        (address, sockets) -> {
          for (int fd : sockets) {
            try {
              new FileDescriptor(fd).close();
              closed.add(address);
            } catch (IOException alreadyGone) {
              // Nothing to release.
            }
          }
        });
    byAddress.clear();
    return closed;
  }
}
