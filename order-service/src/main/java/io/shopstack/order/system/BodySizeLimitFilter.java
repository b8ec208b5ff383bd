package io.shopstack.order.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than {@code shop.max-request-body} with 413 before any of it is
 * parsed. A declared {@code Content-Length} is judged without reading a byte; a chunked body has no
 * length up front, so it is read into memory up to the limit and handed on from there (one more
 * byte than allowed is enough to refuse it).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class BodySizeLimitFilter extends OncePerRequestFilter {

  /** The largest refused body read to its end before the 413, as nginx lingers on a close. */
  static final long LINGER_BYTES = 1024 * 1024;

  private final long maxBytes;

  BodySizeLimitFilter(ShopProperties shop) {
    this.maxBytes = shop.maxRequestBody().toBytes();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      discardIfSmall(request, declared);
      refuse(response);
      return;
    }
    if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
      byte[] body = request.getInputStream().readNBytes(Math.toIntExact(maxBytes + 1));
      if (body.length > maxBytes) {
        refuse(response);
        return;
      }
      chain.doFilter(new BufferedBodyRequest(request, body), response);
      return;
    }
    chain.doFilter(request, response);
  }

  /**
   * Reads and drops a refused body of up to {@link #LINGER_BYTES} before answering. A client that
   * sends its whole body before reading (Java's HttpClient does) would otherwise often lose the
   * 413: closing a socket with unread bytes makes the kernel send a reset, which can overtake the
   * answer (nginx's {@code lingering_close} reads on for the same reason). Larger bodies are not
   * worth reading: they are answered at once.
   */
  private static void discardIfSmall(HttpServletRequest request, long declared) {
    if (declared > LINGER_BYTES) {
      return;
    }
    try {
      request.getInputStream().skipNBytes(declared);
    } catch (IOException | RuntimeException clientGone) {
      // the answer is still attempted; nothing was stored either way
    }
  }

  private void refuse(HttpServletResponse response) throws IOException {
    // Rendered as JSON by JsonErrorController, like every other error.
    response.sendError(
        HttpStatus.CONTENT_TOO_LARGE.value(), "request body larger than " + maxBytes + " bytes");
  }

  /** The request with its chunked body already read: same bytes, now with a known length. */
  private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;

    BufferedBodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
      return new ByteArrayServletInputStream(new ByteArrayInputStream(body));
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class ByteArrayServletInputStream extends ServletInputStream {

    private final InputStream in;

    ByteArrayServletInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return in.read(buffer, offset, length);
    }

    @Override
    public boolean isFinished() {
      try {
        return in.available() == 0;
      } catch (IOException e) {
        return true;
      }
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
      throw new UnsupportedOperationException("body is already buffered; read it synchronously");
    }
  }
}
