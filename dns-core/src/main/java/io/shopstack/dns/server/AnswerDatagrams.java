package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The envelopes of one UDP socket's answers, each used again once its answer is sent. Netty's epoll
 * channel batches a flush into one {@code sendmmsg} only for {@link DatagramPacket}s, and releases
 * each envelope once written; a {@code DatagramPacket} per answer was the one object the
 * prepared-answer path still made per query. Envelopes are taken and given back on the socket's
 * event loop only: one taken elsewhere, or released elsewhere, is a plain one-off.
 */
final class AnswerDatagrams {
  /** More than a flush holds in flight (a few read bursts of 32); beyond it they are let go. */
  static final int KEPT = 512;

  /** Netty's envelope must be built with a message and an address; ours overrides both. */
  private static final InetSocketAddress NOBODY = new InetSocketAddress(0);

  private final EventExecutor loop;
  private final ArrayDeque<Envelope> free = new ArrayDeque<>();

  AnswerDatagrams(EventExecutor loop) {
    this.loop = loop;
  }

  /** {@code answer} (whose reference it takes) addressed to {@code client}. */
  DatagramPacket to(InetSocketAddress client, ByteBuf answer) {
    if (!loop.inEventLoop()) {
      return new DatagramPacket(answer, client);
    }
    Envelope envelope = free.poll();
    if (envelope == null) {
      envelope = new Envelope();
    }
    envelope.answer = answer;
    envelope.client = client;
    return envelope;
  }

  /** Envelopes waiting to be used again (for tests). */
  int free() {
    return free.size();
  }

  /**
   * A {@link DatagramPacket} whose content and recipient can change: every accessor and reference
   * count of Netty's envelope is answered from this class's own fields, never from the final ones
   * it had to be built with. Given back when the last reference to its answer is released.
   */
  private final class Envelope extends DatagramPacket {
    private ByteBuf answer;
    private InetSocketAddress client;

    Envelope() {
      super(Unpooled.EMPTY_BUFFER, NOBODY);
    }

    @Override
    public ByteBuf content() {
      return answer;
    }

    @Override
    public InetSocketAddress recipient() {
      return client;
    }

    @Override
    public InetSocketAddress sender() {
      return null;
    }

    @Override
    public int refCnt() {
      return answer.refCnt();
    }

    @Override
    public DatagramPacket retain() {
      answer.retain();
      return this;
    }

    @Override
    public DatagramPacket retain(int increment) {
      answer.retain(increment);
      return this;
    }

    @Override
    public boolean release() {
      return recycledIf(answer.release());
    }

    @Override
    public boolean release(int decrement) {
      return recycledIf(answer.release(decrement));
    }

    @Override
    public DatagramPacket touch() {
      answer.touch();
      return this;
    }

    @Override
    public DatagramPacket touch(Object hint) {
      answer.touch(hint);
      return this;
    }

    private boolean recycledIf(boolean released) {
      // Content and recipient stay readable until the envelope is taken again: Netty reads the
      // recipient of a packet it has just released when it copies a heap answer to a direct one.
      if (released) {
        if (loop.inEventLoop() && free.size() < KEPT) {
          free.push(this);
        }
      }
      return released;
    }

    @Override
    public String toString() {
      return "AnswerDatagram(=> " + client + ", " + answer + ')';
    }
  }
}
