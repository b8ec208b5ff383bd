package io.shopstack.client.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One question put to the local resolver and what came back: the facts the journey prints and the
 * tests assert.
 *
 * @param question the name asked for, absolute ({@code static.shop.example.})
 * @param type query type ({@code A})
 * @param rcode response code ({@code NOERROR}, {@code NXDOMAIN}, {@code SERVFAIL}...)
 * @param flags header flags as dig prints them ({@code qr rd ra})
 * @param answers the answer section in wire order
 * @param server where the query went
 * @param source the local end of the socket the query left from, as the kernel bound it (the
 *     client's real address even when configured as the wildcard; a fresh port per query)
 * @param transport {@code UDP}, or {@code TCP} when the UDP answer was truncated
 * @param took from sending the query to the parsed response
 */
public record DnsLookup(
    String question,
    String type,
    String rcode,
    String flags,
    List<AnswerRecord> answers,
    InetSocketAddress server,
    InetSocketAddress source,
    String transport,
    Duration took) {

  public DnsLookup {
    answers = List.copyOf(answers);
  }

  public boolean recursionAvailable() {
    return hasFlag("ra");
  }

  public boolean authoritative() {
    return hasFlag("aa");
  }

  private boolean hasFlag(String flag) {
    return List.of(flags.split(" ")).contains(flag);
  }

  /**
   * The names walked from the question to the name that owns the addresses, following CNAMEs in the
   * answer section: {@code [static.shop.example., shop.cdn.example.]}, or just {@code
   * [www.shop.example.]} when there is no alias. Bounded, so a CNAME loop cannot spin.
   */
  public List<String> cnameChain() {
    List<String> chain = new ArrayList<>(List.of(question));
    String current = question;
    for (int hop = 0; hop < answers.size(); hop++) {
      String target = cnameTarget(current);
      if (target == null || chain.contains(target)) {
        break;
      }
      chain.add(target);
      current = target;
    }
    return List.copyOf(chain);
  }

  /** Whether the question was an alias (the chain has at least one CNAME hop). */
  public boolean hasCname() {
    return cnameChain().size() > 1;
  }

  /** The A (or AAAA) addresses of the end of the CNAME chain, in answer order. */
  public List<String> addresses() {
    String owner = cnameChain().get(cnameChain().size() - 1);
    return answers.stream()
        .filter(r -> r.type().equals(type) && r.name().equalsIgnoreCase(owner))
        .map(AnswerRecord::data)
        .toList();
  }

  private String cnameTarget(String owner) {
    return answers.stream()
        .filter(r -> r.type().equals("CNAME") && r.name().equalsIgnoreCase(owner))
        .map(AnswerRecord::data)
        .findFirst()
        .orElse(null);
  }
}
