package io.shopstack.dns.server;

/**
 * What a rate limiter in front of the answers decides for one query ({@link QueryHandler#admit}):
 * answer it, send nothing, or slip an empty truncated answer that invites the client to retry over
 * TCP (BIND's RRL "slip"). The transport applies it to every answer it makes, prepared ones
 * included, so limiting never has to turn the fast path off.
 */
public enum Admission {
  SEND,
  DROP,
  SLIP
}
