package io.shopstack.client.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.client.dns.AnswerRecord;
import io.shopstack.client.dns.DnsLookup;
import io.shopstack.client.dns.IterationTrace;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolverTraceViewTest {
  private static final DnsLookup NORTH =
      new DnsLookup(
          "static.shop.example.",
          "A",
          "NOERROR",
          "qr rd ra",
          List.of(
              new AnswerRecord("static.shop.example.", 300, "IN", "CNAME", "shop.cdn.example."),
              new AnswerRecord("shop.cdn.example.", 20, "IN", "A", "172.28.1.20")),
          new InetSocketAddress("127.0.0.1", 53),
          new InetSocketAddress("127.0.0.1", 5353),
          "UDP",
          Duration.ZERO);

  @Test
  void aTraceThatEndedInThisAnswerIsThisAnswers() {
    assertThat(
            ResolverTraceView.endsWithOurAnswer(
                endingWith("172.28.2.20, shop.cdn.example. A 172.28.1.20"), NORTH))
        .isTrue();
  }

  @Test
  void aTraceThatEndedInAnotherClientsEdgeIsNot() {
    assertThat(ResolverTraceView.endsWithOurAnswer(endingWith("172.28.2.20"), NORTH)).isFalse();
    assertThat(ResolverTraceView.endsWithOurAnswer(endingWith("172.28.1.200"), NORTH)).isFalse();
  }

  private static IterationTrace endingWith(String addresses) {
    return new IterationTrace(
        "static.shop.example.",
        "A",
        "NOERROR",
        0,
        List.of(
            new IterationTrace.Hop(
                "172.28.0.5",
                "cdn.example.",
                "shop.cdn.example. A",
                "NOERROR",
                "answer shop.cdn.example. A " + addresses,
                1,
                true)));
  }
}
