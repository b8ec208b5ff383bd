package io.shopstack.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A handler's own wire answer goes out as written, over UDP and TCP, and is counted like any other;
 * a handler that declines (null) gets the query the usual way.
 */
class AnswerFromWireTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private DnsServer server;

  /** Answers "fast.test." itself: the query echoed as an answer with rcode NXDOMAIN. */
  private static final class WireHandler implements QueryHandler {
    @Override
    public CompletionStage<Message> handle(
        Message query, InetSocketAddress client, Transport transport) {
      return CompletableFuture.completedFuture(Reply.to(query));
    }

    @Override
    public ByteBuf answerFromWire(
        ByteBufAllocator alloc,
        int headroom,
        ByteBuf query,
        InetSocketAddress client,
        Transport transport) {
      if (query.getByte(query.readerIndex() + 13) != 'f') {
        return null;
      }
      ByteBuf out = alloc.buffer(headroom + query.readableBytes());
      out.writerIndex(headroom).writeBytes(query, query.readerIndex(), query.readableBytes());
      out.setByte(headroom + 2, 0x80);
      out.setByte(headroom + 3, Rcode.NXDOMAIN);
      return out;
    }
  }

  @BeforeEach
  void start() throws Exception {
    server =
        new DnsServer(
                new DnsServer.Settings("test", new InetSocketAddress("127.0.0.1", 0)),
                new WireHandler(),
                registry)
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theHandlersWireAnswerIsSentAndCountedAndNullTakesTheUsualPath(boolean tcp) throws Exception {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getByName("127.0.0.1"));
    resolver.setPort(server.port());
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(2));

    Message fast =
        resolver.send(Message.newQuery(Record.newRecord(Name.fromString("fast.test."), Type.A, 1)));
    assertThat(fast.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(answers("NXDOMAIN")).isEqualTo(1);

    Message usual =
        resolver.send(Message.newQuery(Record.newRecord(Name.fromString("slow.test."), Type.A, 1)));
    assertThat(usual.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answers("NOERROR")).isEqualTo(1);
  }

  private double answers(String rcode) {
    return registry.get("dns_answers").tags("qtype", "A", "rcode", rcode).functionCounter().count();
  }
}
