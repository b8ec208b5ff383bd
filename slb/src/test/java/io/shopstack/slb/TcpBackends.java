package io.shopstack.slb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stand-in backends for the SLB tests: plain blocking JDK sockets, so nothing of the code under
 * test is on the other side. Each runs its connections on its own threads and stops on close.
 */
final class TcpBackends {
  private TcpBackends() {}

  /** Accepts connections and serves each with {@code service}, one thread per connection. */
  static class Fixture implements AutoCloseable {
    interface Service {
      void serve(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    Fixture(Service service) throws IOException {
      this(service, 0);
    }

    /** On {@code port} of the loopback address; 0 for any free one. */
    Fixture(Service service, int port) throws IOException {
      // A backlog like a real server's (nginx: 511): bursts of connects must not overflow it.
      server = new ServerSocket(port, 511, InetAddress.getLoopbackAddress());
      threads.execute(
          () -> {
            while (!server.isClosed()) {
              try {
                Socket socket = server.accept();
                open.add(socket);
                try {
                  threads.execute(
                      () -> {
                        try (socket) {
                          service.serve(socket);
                        } catch (IOException e) {
                          // the peer went away; nothing to do for a fixture
                        } finally {
                          open.remove(socket);
                        }
                      });
                } catch (RejectedExecutionException closing) {
                  // Accepted as the fixture closed: a stopped server's connection is closed, not
                  // left open with nobody to answer.
                  open.remove(socket);
                  socket.close();
                }
              } catch (IOException e) {
                return;
              }
            }
          });
    }

    int port() {
      return server.getLocalPort();
    }

    InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    String hostPort() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      threads.shutdownNow();
    }

    /** Dies as a killed process does: the port closes and every open connection with it. */
    void kill() throws IOException {
      close();
      for (Socket socket : open) {
        if (!socket.isClosed()) {
          try {
            socket.setSoLinger(true, 0); // a process killed mid-request leaves resets, not FINs
          } catch (SocketException closedMeanwhile) {
            // its own thread closed it: nothing left to kill
          }
          socket.close();
        }
      }
    }
  }

  /** Says its name and hangs up: which backend a connection reached. */
  static Fixture named(String name) throws IOException {
    return named(name, 0);
  }

  /** The same, on a given port: a backend restarted where it was. */
  static Fixture named(String name, int port) throws IOException {
    return new Fixture(
        socket -> socket.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8)),
        port);
  }

  /** Connections a {@link #holding} backend has now, has ever had at once, and has had at all. */
  record Load(AtomicInteger open, AtomicInteger peak, AtomicInteger total) {
    Load() {
      this(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    }
  }

  /**
   * Says its name, then holds the connection until the client closes it, counting in {@code load}:
   * a backend busy with long requests.
   */
  static Fixture holding(String name, Load load) throws IOException {
    return new Fixture(
        socket -> {
          int now = load.open().incrementAndGet();
          load.total().incrementAndGet();
          load.peak().accumulateAndGet(now, Math::max);
          try {
            socket.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
          } finally {
            load.open().decrementAndGet();
          }
        });
  }

  /**
   * Answers each request line with its name, one request per connection, counting the answers
   * written: the other end of a request/response client under load.
   */
  static Fixture answering(String name, AtomicInteger answered) throws IOException {
    return answering(name, answered, 0);
  }

  /** The same, on a given port: a backend restarted where it was. */
  static Fixture answering(String name, AtomicInteger answered, int port) throws IOException {
    return new Fixture(
        socket -> {
          var in =
              new java.io.BufferedReader(
                  new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
          if (in.readLine() != null) {
            socket.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
            socket.close(); // counted once the answer and the FIN are on their way, not before
            answered.incrementAndGet();
          }
        },
        port);
  }

  /** Says its name, then sends back every line it receives: a long-lived session. */
  static Fixture namedEcho(String name) throws IOException {
    return new Fixture(
        socket -> {
          socket.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
          socket.getInputStream().transferTo(socket.getOutputStream());
        });
  }

  /** Sends back every byte it receives; half-closes when the client does. */
  static Fixture echo() throws IOException {
    return new Fixture(
        socket -> {
          socket.getInputStream().transferTo(socket.getOutputStream());
          socket.shutdownOutput();
        });
  }

  /**
   * Says hello and half-closes at once, then goes on reading: counts in {@code received} every byte
   * the client sends after that, up to the client's FIN.
   */
  static Fixture greetsFirstThenListens(AtomicLong received) throws IOException {
    return new Fixture(
        socket -> {
          socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
          socket.shutdownOutput();
          byte[] buffer = new byte[8192];
          InputStream in = socket.getInputStream();
          for (int n; (n = in.read(buffer)) != -1; ) {
            received.addAndGet(n);
          }
        });
  }

  /** Reads the whole request up to the client's FIN, then answers with its length. */
  static Fixture countsUntilEndOfStream() throws IOException {
    return new Fixture(
        socket -> {
          long n = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
          socket
              .getOutputStream()
              .write(("got " + n + " bytes\n").getBytes(StandardCharsets.UTF_8));
        });
  }

  /**
   * Writes up to {@code limit} bytes as fast as the connection takes them, counting in {@code
   * sent}; its writes block when the data path pushes back.
   */
  static Fixture firehose(long limit, AtomicLong sent) throws IOException {
    return new Fixture(
        socket -> {
          socket.setSendBufferSize(64 * 1024);
          byte[] chunk = new byte[64 * 1024];
          OutputStream out = socket.getOutputStream();
          try {
            while (sent.get() < limit) {
              out.write(chunk);
              sent.addAndGet(chunk.length);
            }
          } catch (SocketException e) {
            // the SLB closed the connection after the client left: expected
          }
        });
  }

  /**
   * Expects a PROXY protocol header (v1 or v2) first, parsed here byte by byte from the
   * specification, independently of the SLB's encoder; answers with one line saying what the header
   * claimed ({@code v2 127.0.0.5:41000 -> 127.0.0.1:8080}, or {@code no PROXY header}), then echoes
   * whatever follows.
   */
  static Fixture proxyProtocolReader() throws IOException {
    return new Fixture(
        socket -> {
          var in = new java.io.DataInputStream(socket.getInputStream());
          String claim = ProxyHeaderReader.read(in);
          OutputStream out = socket.getOutputStream();
          out.write((claim + "\n").getBytes(StandardCharsets.UTF_8));
          in.transferTo(out);
          socket.shutdownOutput();
        });
  }

  /** A port nothing listens on: connecting is refused at once. */
  static String deadHostPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
