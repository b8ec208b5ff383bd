package io.shopstack.dns.resolver.iteration;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Message;

/**
 * One upstream query over UDP on its own socket, registered with an event loop as it is, without a
 * Netty channel around it ({@link UpstreamSocket}): a socket that carries one datagram each way
 * needs no pipeline, promises, channel configuration or pooled buffers, and building those was a
 * fifth of a cold resolution's work on the event loop. Random port (the kernel's choice at bind),
 * connected to the server, and the same rules as before for what answers it ({@link ReplyMatch}):
 * anything else is counted and the socket keeps waiting until the answer or the timeout. An ICMP
 * port unreachable ends the wait at once.
 *
 * <p>Everything but {@link #ask} runs on the socket's event loop.
 */
final class UpstreamDatagram {
  /** Larger than any UDP payload: a datagram is never cut short here. */
  private static final int MAX_DATAGRAM = 65_535;

  /** Datagrams read per readiness event at most, so a flood of forgeries cannot hold the loop. */
  static final int READS_PER_EVENT = 16;

  /**
   * One buffer per loop thread for the datagrams its upstream sockets send and receive: a query is
   * sent before the next is made, a datagram parsed before the next is read. Direct, as the native
   * socket needs and the JDK's would copy into.
   */
  private static final FastThreadLocal<ByteBuffer> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
          return ByteBuffer.allocateDirect(MAX_DATAGRAM);
        }
      };

  /**
   * One query to send: {@code query} to {@code server} from a new socket of {@code family} (null:
   * the JDK's default) bound to {@code source} (port 0), {@code answer} completed with the
   * response, or exceptionally after {@code timeoutNanos} or on an error; replies that answer
   * nothing are counted in {@code unwanted}.
   */
  record Request(
      ProtocolFamily family,
      InetSocketAddress source,
      InetSocketAddress server,
      Message query,
      long timeoutNanos,
      UnwantedReplies unwanted,
      CompletableFuture<Message> answer) {}

  private final Request request;
  private final CompletableFuture<Message> answer;

  private UpstreamDatagram(Request request) {
    this.request = request;
    this.answer = request.answer();
  }

  /**
   * Sends {@code request} from {@code loop} (NIO or native epoll), handed to it when called from
   * another thread. The socket is closed once the request's answer is complete.
   */
  static void ask(IoEventLoop loop, Request request) {
    if (loop.inEventLoop()) {
      open(loop, request);
    } else {
      loop.execute(() -> open(loop, request));
    }
  }

  static ByteBuffer scratch() {
    return SCRATCH.get();
  }

  private static void open(IoEventLoop loop, Request request) {
    UpstreamDatagram exchange = new UpstreamDatagram(request);
    UpstreamSocket socket;
    try {
      socket = UpstreamSocket.open(loop, request, exchange);
    } catch (IOException | RuntimeException failed) {
      request.answer().completeExceptionally(failed);
      return;
    }
    loop.register(socket)
        .addListener(
            (Future<IoRegistration> registered) -> {
              if (registered.isSuccess()) {
                exchange.send(loop, registered.getNow(), socket);
              } else {
                socket.close();
                request.answer().completeExceptionally(registered.cause());
              }
            });
  }

  private void send(IoEventLoop loop, IoRegistration registration, UpstreamSocket socket) {
    long timeoutNanos = request.timeoutNanos();
    ScheduledFuture<?> timer =
        loop.schedule(
            () ->
                answer.completeExceptionally(
                    new TimeoutException(
                        "no answer in " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")),
            timeoutNanos,
            TimeUnit.NANOSECONDS);
    answer.whenComplete(
        (response, error) -> {
          timer.cancel(false);
          registration.cancel();
          socket.close();
        });
    try {
      registration.submit(socket.readable());
      ByteBuffer datagram = scratch().clear().put(request.query().toWire()).flip();
      if (!socket.send(datagram)) {
        answer.completeExceptionally(new IOException("no room in the socket's send buffer"));
      }
    } catch (Exception failed) {
      answer.completeExceptionally(failed);
    }
  }

  InetSocketAddress server() {
    return request.server();
  }

  /** The wait is over: answered, failed or timed out. */
  boolean done() {
    return answer.isDone();
  }

  /** A datagram from {@code sender}: the answer, or one more that answers nothing. */
  void received(ByteBuffer datagram, InetSocketAddress sender) {
    Message response = ReplyMatch.answering(request.query(), request.server(), sender, datagram);
    if (response == null) {
      request.unwanted().count();
    } else {
      answer.complete(response);
    }
  }

  void failed(IOException failure) {
    answer.completeExceptionally(failure);
  }
}
