package io.shopstack.dns.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AnswerDatagramsTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5353);

  @Test
  void anEnvelopeReleasedOnItsLoopCarriesTheNextAnswer() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      AnswerDatagrams envelopes = new AnswerDatagrams(loop);
      loop.submit(
              () -> {
                ByteBuf first = Unpooled.copiedBuffer("first", US_ASCII);
                DatagramPacket sent = envelopes.to(CLIENT, first);
                assertThat(sent.content()).isSameAs(first);
                assertThat(sent.recipient()).isEqualTo(CLIENT);
                assertThat(sent.sender()).isNull();
                sent.retain(); // someone else holds it too: not given back yet
                assertThat(sent.release()).isFalse();
                assertThat(envelopes.free()).isZero();
                assertThat(sent.release()).isTrue();
                assertThat(first.refCnt()).isZero();
                assertThat(envelopes.free()).isOne();

                InetSocketAddress other = new InetSocketAddress("127.0.0.2", 53);
                ByteBuf second = Unpooled.copiedBuffer("second", US_ASCII);
                DatagramPacket next = envelopes.to(other, second);
                assertThat(next).isSameAs(sent);
                assertThat(next.content()).isSameAs(second);
                assertThat(next.recipient()).isEqualTo(other);
                assertThat(next.refCnt()).isOne();
                assertThat(next.copy().content().toString(US_ASCII)).isEqualTo("second");
                next.copy().release();
                assertThat(next.release()).isTrue();
              })
          .get();
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void anAnswerMadeOffTheLoopGetsAPlainEnvelope() {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      AnswerDatagrams envelopes = new AnswerDatagrams(loop);
      DatagramPacket sent = envelopes.to(CLIENT, Unpooled.copiedBuffer("x", US_ASCII));
      assertThat(sent.getClass()).isEqualTo(DatagramPacket.class);
      sent.release();
      assertThat(envelopes.free()).isZero();
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /**
   * Through a real socket of the transport the servers use: a thousand answers in bursts of 20,
   * each received whole by the client, and never more envelopes than one burst held.
   */
  @Test
  void aSocketSendsEveryAnswerWithTheSameFewEnvelopes() throws Exception {
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    AtomicReference<AnswerDatagrams> envelopes = new AtomicReference<>();
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(5_000);
      Channel server =
          new Bootstrap()
              .group(group)
              .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
              .handler(
                  new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                      envelopes.set(new AnswerDatagrams(ctx.executor()));
                    }

                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket query) {
                      // Every other answer on the heap: epoll copies it to a direct one and
                      // releases the envelope before it reads its recipient.
                      ByteBuf answer =
                          (query.content().getByte(4) & 1) == 0
                              ? ctx.alloc().directBuffer()
                              : Unpooled.buffer();
                      answer.writeBytes(query.content(), query.content().readerIndex(), 5);
                      answer.writeCharSequence(" answered", US_ASCII);
                      ctx.write(envelopes.get().to(query.sender(), answer), ctx.voidPromise());
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                      ctx.flush();
                    }
                  })
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      byte[] in = new byte[64];
      for (int burst = 0; burst < 50; burst++) {
        for (int i = 0; i < 20; i++) {
          byte[] query = String.format("q%04d", burst * 20 + i).getBytes(US_ASCII);
          client.send(new java.net.DatagramPacket(query, query.length, server.localAddress()));
        }
        for (int i = 0; i < 20; i++) {
          java.net.DatagramPacket answer = new java.net.DatagramPacket(in, in.length);
          client.receive(answer);
          assertThat(new String(in, 0, answer.getLength(), US_ASCII)).matches("q\\d{4} answered");
        }
      }
      int free = server.eventLoop().submit(() -> envelopes.get().free()).get();
      assertThat(free).as("envelopes made for 1,000 answers").isBetween(1, 20);
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
