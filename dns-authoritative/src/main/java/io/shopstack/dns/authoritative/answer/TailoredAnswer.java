package io.shopstack.dns.authoritative.answer;

import org.xbill.DNS.RRset;

/**
 * An answer computed for one client location, and the SCOPE PREFIX-LENGTH for which it holds (RFC
 * 7871 7.2.1): a resolver may reuse it for every client in that many leading bits.
 */
public record TailoredAnswer(RRset rrset, int scopePrefix) {}
