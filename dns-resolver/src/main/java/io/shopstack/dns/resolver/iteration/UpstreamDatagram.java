package io.shopstack.dns.resolver.iteration;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Message;

/**
 * One upstream query's own UDP socket on a NIO event loop, registered with the loop's selector as
 * it is, without a Netty channel around it: a socket that carries one datagram each way needs no
 * pipeline, promises, channel configuration or pooled buffers, and building those was a fifth of a
 * cold resolution's work on the event loop. Random port (the kernel's choice at bind), connected to
 * the server, and the same rules as before for what answers it ({@link ReplyMatch}): anything else
 * is counted and the socket keeps waiting until the answer or the timeout. An ICMP port unreachable
 * ends the wait at once, as it did on the channel.
 *
 * <p>Everything but {@link #ask} runs on the socket's event loop.
 */
final class UpstreamDatagram extends NioSelectableChannelIoHandle<DatagramChannel> {
  /** Larger than any UDP payload: a datagram is never cut short here. */
  private static final int MAX_DATAGRAM = 65_535;

  /** Datagrams read per readiness event at most, so a flood of forgeries cannot hold the loop. */
  private static final int READS_PER_EVENT = 16;

  /** One receive buffer per loop thread: a datagram is parsed before the next is read. */
  private static final FastThreadLocal<ByteBuffer> RECEIVED =
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

  private final DatagramChannel socket;
  private final Request request;
  private final CompletableFuture<Message> answer;

  private UpstreamDatagram(DatagramChannel socket, Request request) {
    super(socket);
    this.socket = socket;
    this.request = request;
    this.answer = request.answer();
  }

  /**
   * Sends {@code request} from {@code loop}, handed to it when called from another thread. The
   * socket is closed once the request's answer is complete.
   */
  static void ask(IoEventLoop loop, Request request) {
    if (loop.inEventLoop()) {
      open(loop, request);
    } else {
      loop.execute(() -> open(loop, request));
    }
  }

  private static void open(IoEventLoop loop, Request request) {
    DatagramChannel socket = null;
    try {
      ProtocolFamily family = request.family();
      socket = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
      socket.configureBlocking(false);
      socket.bind(request.source());
      socket.connect(request.server());
    } catch (IOException | RuntimeException failed) {
      closeQuietly(socket);
      request.answer().completeExceptionally(failed);
      return;
    }
    UpstreamDatagram exchange = new UpstreamDatagram(socket, request);
    loop.register(exchange)
        .addListener(
            (Future<IoRegistration> registered) -> {
              if (registered.isSuccess()) {
                exchange.send(loop, registered.getNow());
              } else {
                closeQuietly(exchange.socket);
                request.answer().completeExceptionally(registered.cause());
              }
            });
  }

  private void send(IoEventLoop loop, IoRegistration registration) {
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
          closeQuietly(socket);
        });
    try {
      registration.submit(NioIoOps.READ);
      if (socket.write(ByteBuffer.wrap(request.query().toWire())) == 0) {
        answer.completeExceptionally(new IOException("no room in the socket's send buffer"));
      }
    } catch (IOException | RuntimeException failed) {
      answer.completeExceptionally(failed);
    }
  }

  @Override
  protected void handle(DatagramChannel channel, SelectionKey key) {
    ByteBuffer received = RECEIVED.get();
    try {
      for (int read = 0; read < READS_PER_EVENT && !answer.isDone(); read++) {
        received.clear();
        SocketAddress sender = channel.receive(received);
        if (sender == null) {
          return;
        }
        received.flip();
        Message response =
            ReplyMatch.answering(
                request.query(), request.server(), (InetSocketAddress) sender, received);
        if (response == null) {
          request.unwanted().count();
        } else {
          answer.complete(response);
        }
      }
    } catch (IOException unreachable) {
      // A PortUnreachableException: the server is not there, fail now, not at the timeout.
      answer.completeExceptionally(unreachable);
    }
  }

  private static void closeQuietly(DatagramChannel socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a datagram socket has nothing to flush: there is nothing to lose here.
    }
  }
}
