package io.shopstack.client.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A deliberately small HTTP/1.1 client over {@link Socket}: one request per connection, so the
 * journey can name both ends of every TCP connection (the JDK HttpClient hides them), and the
 * connection starts from the client's configured address, which is the address the edge and the SLB
 * see. Built once and shared; every failure becomes an IOException whose message names the peer and
 * what went wrong (refused, timed out, reset, malformed).
 */
public final class SocketHttpClient {
  private final InetAddress bindAddress;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  /**
   * @param bindAddress local address to connect from; null or a wildcard lets the OS choose
   * @param readTimeout bound on the whole response, from the request sent to its last byte
   */
  public SocketHttpClient(InetAddress bindAddress, Duration connectTimeout, Duration readTimeout) {
    this.bindAddress = bindAddress;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  public HttpExchange send(InetSocketAddress remote, HttpRequest request) throws IOException {
    return send(remote, request, HttpEventListener.NONE);
  }

  public HttpExchange send(
      InetSocketAddress remote, HttpRequest request, HttpEventListener listener)
      throws IOException {
    String peer = remote.getAddress().getHostAddress() + ":" + remote.getPort();
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      bind(socket);
      listener.connecting(remote);
      connect(socket, remote, peer);
      long connected = System.nanoTime();
      InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
      listener.connected(local, remote, Duration.ofNanos(connected - start));

      long sent;
      DeadlineInputStream timed;
      HttpResponse response;
      try {
        OutputStream out = socket.getOutputStream();
        out.write(request.encode());
        out.flush();
        sent = System.nanoTime();
        listener.requestSent(request);
        timed =
            new DeadlineInputStream(socket, socket.getInputStream(), sent + readTimeout.toNanos());
        InputStream in = new BufferedInputStream(timed);
        response = new ResponseReader(in, peer).read(request.method());
      } catch (SocketTimeoutException e) {
        throw new IOException(
            "no complete response from " + peer + " within " + readTimeout.toMillis() + " ms", e);
      } catch (SocketException e) {
        throw new IOException("connection to " + peer + " broken: " + e.getMessage(), e);
      }
      long end = System.nanoTime();
      long firstByte = timed.firstByteNanos() == 0 ? end : timed.firstByteNanos();
      return new HttpExchange(
          request,
          response,
          local,
          remote,
          Duration.ofNanos(connected - start),
          Duration.ofNanos(firstByte - sent),
          Duration.ofNanos(end - start));
    }
  }

  private void bind(Socket socket) throws IOException {
    if (bindAddress == null || bindAddress.isAnyLocalAddress()) {
      return;
    }
    try {
      socket.bind(new InetSocketAddress(bindAddress, 0));
    } catch (BindException e) {
      throw new ConnectFailure(
          "cannot connect from " + bindAddress.getHostAddress() + ": " + e.getMessage(), e);
    }
  }

  private void connect(Socket socket, InetSocketAddress remote, String peer) throws IOException {
    try {
      socket.connect(remote, (int) connectTimeout.toMillis());
    } catch (ConnectException e) {
      String why = String.valueOf(e.getMessage());
      throw new ConnectFailure(
          why.toLowerCase().contains("refused")
              ? "connection refused by " + peer
              : "cannot connect to " + peer + ": " + why,
          e);
    } catch (SocketTimeoutException e) {
      throw new ConnectFailure(
          "connect to " + peer + " timed out after " + connectTimeout.toMillis() + " ms", e);
    } catch (NoRouteToHostException e) {
      throw new ConnectFailure("no route to " + peer, e);
    } catch (SocketException e) {
      throw new ConnectFailure("cannot connect to " + peer + ": " + e.getMessage(), e);
    }
  }
}
