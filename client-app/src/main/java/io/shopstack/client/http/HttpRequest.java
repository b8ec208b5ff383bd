package io.shopstack.client.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A request the app sends: method, origin-form target, the Host it names, extra fields and a body.
 * Every request carries a fresh {@code X-Request-Id} so a reader can find it in every hop's log.
 */
public record HttpRequest(
    String method, String target, String host, HttpHeaders headers, byte[] body) {
  static final String USER_AGENT = "shop-stack-client-app/0.1";

  public HttpRequest {
    requireToken(method, "method");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("target must be origin-form (/path): " + target);
    }
    requireNoControls(target, "target");
    requireNoControls(host, "host");
    headers.fields().forEach(f -> requireNoControls(f.name() + f.value(), "header " + f.name()));
  }

  public static HttpRequest get(String host, String target) {
    return new HttpRequest("GET", target, host, withRequestId(), new byte[0]);
  }

  public static HttpRequest post(String host, String target, String contentType, byte[] body) {
    List<HttpHeaders.Field> fields = new ArrayList<>(withRequestId().fields());
    fields.add(new HttpHeaders.Field("Content-Type", contentType));
    return new HttpRequest("POST", target, host, new HttpHeaders(fields), body.clone());
  }

  /** This request with one more header field (after the ones it has). */
  public HttpRequest withHeader(String name, String value) {
    List<HttpHeaders.Field> fields = new ArrayList<>(headers.fields());
    fields.add(new HttpHeaders.Field(name, value));
    return new HttpRequest(method, target, host, new HttpHeaders(fields), body);
  }

  public String requestId() {
    return headers.get("X-Request-Id");
  }

  /** The request line, e.g. {@code GET /products/course-1001 HTTP/1.1}. */
  public String requestLine() {
    return method + " " + target + " HTTP/1.1";
  }

  /**
   * The bytes on the wire. {@code Connection: close}: the app makes one request per connection, so
   * each exchange shows its own TCP connection; the response is still framed by Content-Length or
   * chunked encoding, never by the close alone when the server says otherwise.
   */
  byte[] encode() {
    StringBuilder head = new StringBuilder();
    head.append(requestLine()).append("\r\n");
    head.append("Host: ").append(host).append("\r\n");
    head.append("User-Agent: ").append(USER_AGENT).append("\r\n");
    head.append("Accept: */*\r\n");
    headers
        .fields()
        .forEach(f -> head.append(f.name()).append(": ").append(f.value()).append("\r\n"));
    if (body.length > 0 || method.equals("POST") || method.equals("PUT")) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream wire = new ByteArrayOutputStream(head.length() + body.length);
    // Field values here are ASCII (ids, media types, host names); the body carries the UTF-8.
    wire.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    wire.writeBytes(body);
    return wire.toByteArray();
  }

  private static HttpHeaders withRequestId() {
    return HttpHeaders.of("X-Request-Id", UUID.randomUUID().toString());
  }

  private static void requireToken(String value, String what) {
    if (value == null || !value.matches("[A-Z]+")) {
      throw new IllegalArgumentException("bad " + what + ": " + value);
    }
  }

  private static void requireNoControls(String value, String what) {
    if (value == null || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(what + " must not contain control characters");
    }
  }
}
