package io.shopstack.client.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.1 response from a stream, framed the way RFC 9112 section 6.3 says: no body for
 * HEAD, 1xx, 204 and 304; chunked when Transfer-Encoding ends in chunked (which overrides any
 * Content-Length); exactly Content-Length bytes when that is given; otherwise until the server
 * closes. Interim 1xx responses are skipped. Every line and the body are bounded, and anything
 * malformed becomes a {@link MalformedResponseException} that names the peer and the fault.
 */
final class ResponseReader {
  static final int MAX_LINE = 8 * 1024;
  static final int MAX_FIELDS = 100;
  static final int MAX_BODY = 32 * 1024 * 1024;
  private static final int MAX_INTERIM = 10;
  private static final Pattern STATUS_LINE = Pattern.compile("(HTTP/1\\.\\d) (\\d{3})(?: (.*))?");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern CHUNK_SIZE = Pattern.compile("([0-9A-Fa-f]{1,8})[ \\t]*(;.*)?");

  private final InputStream in;
  private final String peer;

  ResponseReader(InputStream in, String peer) {
    this.in = in;
    this.peer = peer;
  }

  HttpResponse read(String requestMethod) throws IOException {
    for (int interim = 0; interim <= MAX_INTERIM; interim++) {
      String statusLine = readLine("status line", true);
      Matcher m = STATUS_LINE.matcher(statusLine);
      if (!m.matches()) {
        throw malformed(
            "status line is not \"HTTP/1.x NNN reason\": \"" + printable(statusLine) + "\"");
      }
      int status = Integer.parseInt(m.group(2));
      String reason = m.group(3) == null ? "" : m.group(3);
      HttpHeaders headers = readFields("header");
      if (status >= 100 && status < 200 && status != 101) {
        continue; // 100 Continue, 103 Early Hints: the final response follows on the same stream
      }
      if (!hasBody(requestMethod, status)) {
        return new HttpResponse(
            m.group(1), status, reason, headers, new byte[0], HttpHeaders.EMPTY);
      }
      List<String> codings = headers.tokens("Transfer-Encoding");
      if (!codings.isEmpty()) {
        if (codings.get(codings.size() - 1).equals("chunked")) {
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          HttpHeaders trailers = readChunked(body);
          return new HttpResponse(
              m.group(1), status, reason, headers, body.toByteArray(), trailers);
        }
        return new HttpResponse(
            m.group(1), status, reason, headers, readUntilClose(), HttpHeaders.EMPTY);
      }
      Long length = contentLength(headers);
      byte[] body = length == null ? readUntilClose() : readExactly(length);
      return new HttpResponse(m.group(1), status, reason, headers, body, HttpHeaders.EMPTY);
    }
    throw malformed("more than " + MAX_INTERIM + " interim (1xx) responses");
  }

  private static boolean hasBody(String method, int status) {
    return !method.equals("HEAD") && status != 204 && status != 304 && status != 101;
  }

  private Long contentLength(HttpHeaders headers) throws MalformedResponseException {
    List<String> values = headers.tokens("Content-Length");
    if (values.isEmpty()) {
      return null;
    }
    // "Content-Length: 5, 5" is tolerated by RFC 9110; differing values are a framing attack.
    if (values.stream().distinct().count() > 1 || !values.get(0).matches("\\d{1,10}")) {
      throw malformed("invalid Content-Length " + headers.all("Content-Length"));
    }
    long length = Long.parseLong(values.get(0));
    if (length > MAX_BODY) {
      throw malformed("Content-Length " + length + " exceeds the client's limit of " + MAX_BODY);
    }
    return length;
  }

  private HttpHeaders readChunked(ByteArrayOutputStream body) throws IOException {
    while (true) {
      String sizeLine = readLine("chunk size", false);
      Matcher m = CHUNK_SIZE.matcher(sizeLine);
      if (!m.matches()) {
        throw malformed("bad chunk size line \"" + printable(sizeLine) + "\"");
      }
      long size = Long.parseLong(m.group(1), 16); // chunk extensions (group 2) carry nothing for us
      if (size == 0) {
        return readFields("trailer");
      }
      if (body.size() + size > MAX_BODY) {
        throw malformed("chunked body exceeds the client's limit of " + MAX_BODY + " bytes");
      }
      body.writeBytes(readExactly(size));
      String end = readLine("chunk end", false);
      if (!end.isEmpty()) {
        throw malformed("chunk of " + size + " bytes is not followed by CRLF");
      }
    }
  }

  private HttpHeaders readFields(String what) throws IOException {
    List<HttpHeaders.Field> fields = new ArrayList<>();
    while (true) {
      String line = readLine(what, false);
      if (line.isEmpty()) {
        return new HttpHeaders(fields);
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        // obs-fold (RFC 9112 5.2): a user agent may replace it with a space.
        if (fields.isEmpty()) {
          throw malformed(what + " section starts with a continuation line");
        }
        HttpHeaders.Field last = fields.remove(fields.size() - 1);
        fields.add(new HttpHeaders.Field(last.name(), last.value() + " " + line.strip()));
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      if (colon <= 0 || !TOKEN.matcher(name).matches()) {
        throw malformed("bad " + what + " field \"" + printable(line) + "\"");
      }
      if (fields.size() == MAX_FIELDS) {
        throw malformed("more than " + MAX_FIELDS + " " + what + " fields");
      }
      fields.add(new HttpHeaders.Field(name, line.substring(colon + 1).strip()));
    }
  }

  /** Reads a line ending in CRLF (a bare LF is accepted, as RFC 9112 allows), without the end. */
  private String readLine(String what, boolean first) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (first && line.length() == 0) {
          throw new MalformedResponseException(peer + " closed the connection without a response");
        }
        throw malformed("connection closed in the middle of the " + what);
      }
      if (b == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return line.toString();
      }
      if (line.length() == MAX_LINE) {
        throw malformed(what + " longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b); // ISO-8859-1: field values are octets, not UTF-8 text
    }
  }

  private byte[] readExactly(long length) throws IOException {
    byte[] bytes = in.readNBytes((int) length);
    if (bytes.length < length) {
      throw malformed("connection closed after " + bytes.length + " of " + length + " body bytes");
    }
    return bytes;
  }

  private byte[] readUntilClose() throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      throw malformed("body exceeds the client's limit of " + MAX_BODY + " bytes");
    }
    return bytes;
  }

  private MalformedResponseException malformed(String what) {
    return new MalformedResponseException("malformed response from " + peer + ": " + what);
  }

  private static String printable(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return shown.replaceAll("[\\x00-\\x1f\\x7f-\\xff]", "?");
  }
}
