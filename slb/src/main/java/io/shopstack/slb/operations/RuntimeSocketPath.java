package io.shopstack.slb.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the runtime API listens when it is a Unix socket ({@code runtimeApi: unix:/run/slb.sock}).
 * The socket itself is bound at a path of this process's own ({@code /run/slb.sock.<pid>.<n>}) and
 * the configured path is a symbolic link to it, replaced atomically: an SLB that replaces a running
 * one (taking its listeners through this very socket) publishes its own socket under the path while
 * the old one still runs, and the old one, stopping, removes only its own socket file (Netty
 * deletes the file a Unix listener was bound to when it closes) and the link only if it still
 * points to it. Clients ({@code socat}, {@code nc -U}) connect through the link.
 */
final class RuntimeSocketPath {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Path published;
  private final Path own;

  private RuntimeSocketPath(Path published, Path own) {
    this.published = published;
    this.own = own;
  }

  /** A path of this process's own beside {@code published}, not yet bound. */
  static RuntimeSocketPath beside(Path published) {
    String suffix = "." + ProcessHandle.current().pid() + "." + SEQUENCE.incrementAndGet();
    return new RuntimeSocketPath(
        published, published.resolveSibling(published.getFileName() + suffix));
  }

  /** Whether a process answers on {@code path} now (a stale file from a crash does not). */
  static boolean answering(Path path) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      return probe.isConnected();
    } catch (IOException notThere) {
      return false;
    }
  }

  /** Where to bind. */
  Path own() {
    return own;
  }

  /** Points the configured path at the bound socket, replacing whatever was there in one step. */
  void publish() {
    Path link = own.resolveSibling(own.getFileName() + ".link");
    try {
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, own.getFileName());
      Files.move(
          link, published, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish the runtime API at " + published, e);
    }
  }

  /** Removes the configured path if it still leads to this process's socket. */
  void withdraw() {
    try {
      if (Files.isSymbolicLink(published)
          && Files.readSymbolicLink(published).equals(own.getFileName())) {
        Files.delete(published);
      }
    } catch (IOException ignored) {
      // Gone already, or replaced between the check and the delete: either way not ours.
    }
  }
}
