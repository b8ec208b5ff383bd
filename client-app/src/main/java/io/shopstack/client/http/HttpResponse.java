package io.shopstack.client.http;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A final response as it arrived: status line, header fields, the decoded body (chunked framing
 * removed) and any trailer fields that followed a chunked body.
 */
public record HttpResponse(
    String version,
    int status,
    String reason,
    HttpHeaders headers,
    byte[] body,
    HttpHeaders trailers) {
  private static final Pattern CHARSET =
      Pattern.compile(";\\s*charset=\"?([^\";\\s]+)\"?", Pattern.CASE_INSENSITIVE);

  public String header(String name) {
    return headers.get(name);
  }

  public String statusLine() {
    return version + " " + status + (reason.isEmpty() ? "" : " " + reason);
  }

  /** The body as text, in the charset the Content-Type names, UTF-8 when it names none. */
  public String bodyText() {
    return new String(body, charset());
  }

  private Charset charset() {
    String type = header("Content-Type");
    if (type != null) {
      Matcher m = CHARSET.matcher(type);
      if (m.find()) {
        try {
          return Charset.forName(m.group(1));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }
}
