package io.shopstack.edge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin on a plain socket that runs a script per request, for what a well-behaved HTTP server
 * will not do on demand: stop half-way through a body until told to go on, or close a keep-alive
 * connection without saying so. Counts connections and requests.
 */
public final class ScriptedOrigin implements AutoCloseable {
  /**
   * What to do with one request, the {@code nth} (from 0) on its connection; return false to close
   * the connection.
   */
  public interface Script {
    boolean answer(String requestHead, OutputStream out, int nth)
        throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();

  public ScriptedOrigin(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            try {
              Socket socket = server.accept();
              connections.incrementAndGet();
              threads.execute(() -> serve(socket, script));
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  private void serve(Socket socket, Script script) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String head;
      int nth = 0;
      while ((head = readHead(in)) != null) {
        requests.incrementAndGet();
        if (!script.answer(head, out, nth++)) {
          return;
        }
        out.flush();
      }
    } catch (IOException e) {
      // the cache went away: nothing to answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A request head (no body: the cache only sends GETs here), or null at the end. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
        return head.toString();
      }
    }
    return null;
  }

  /** The head of a 200 with this length and freshness. */
  public static byte[] head200(long length, String cacheControl) {
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nCache-Control: "
            + cacheControl
            + "\r\nContent-Length: "
            + length
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  public int port() {
    return server.getLocalPort();
  }

  public String route(String prefix) {
    return prefix + "=127.0.0.1:" + port();
  }

  public int connections() {
    return connections.get();
  }

  public int requests() {
    return requests.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
