package io.shopstack.slb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A session through the SLB to a {@link TcpBackends#namedEcho} backend: its greeting names the
 * backend reached, then every line is echoed, so a test sees whether a splice still carries bytes.
 */
final class NamedSession implements AutoCloseable {
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  final Socket socket;
  final BufferedReader in;
  final String backend;

  NamedSession(InetSocketAddress vip) throws IOException {
    socket = new Socket(vip.getAddress(), vip.getPort());
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    backend = in.readLine();
  }

  String echo(String line) throws IOException {
    socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    return in.readLine();
  }

  /** The backends {@code n} new sessions reach, each closed again. */
  static List<String> backendsOfNewSessions(InetSocketAddress vip, int n) throws IOException {
    List<String> reached = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try (NamedSession session = new NamedSession(vip)) {
        reached.add(session.backend);
      }
    }
    return reached;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
