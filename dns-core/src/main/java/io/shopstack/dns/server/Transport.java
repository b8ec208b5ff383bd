package io.shopstack.dns.server;

/** How a query arrived; it decides the answer's size limit (RFC 1035 4.2, RFC 6891 6.2.5). */
public enum Transport {
  UDP,
  TCP
}
