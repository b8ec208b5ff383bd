package io.shopstack.dns.server;

import org.xbill.DNS.Name;

/**
 * Which answers prepared from one snapshot of a handler's data still hold in the next one: after a
 * reload that changed one small zone, the answers of every untouched zone stay prepared instead of
 * being computed again, question by question, under full load ({@link
 * QueryHandler#unchangedAnswers}).
 */
@FunctionalInterface
public interface UnchangedAnswers {
  /** True when the answer to {@code qname}/{@code qtype} is the same in both snapshots. */
  boolean holds(Name qname, int qtype);
}
