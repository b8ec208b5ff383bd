package io.shopstack.edge.origin;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A complete response from an origin, copied off the wire into heap memory. Being plain bytes it
 * can live in the cache and be read from any event loop without reference counting.
 *
 * @param requestTimeMillis when the request was sent (RFC 9111 4.2.3 request_time)
 * @param responseTimeMillis when the response arrived (RFC 9111 4.2.3 response_time)
 */
public record OriginResponse(
    HttpResponseStatus status,
    HttpHeaders headers,
    byte[] body,
    long requestTimeMillis,
    long responseTimeMillis) {}
