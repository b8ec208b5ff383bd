package io.shopstack.objectstore.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stamps every response the way each hop of the journey does: {@code X-Served-By} names this
 * origin, {@code x-amz-request-id} is S3's own id (also quoted in error documents), and the
 * journey's {@code X-Request-Id} is echoed so a trace can follow one request through the edges.
 */
@Component
class ServedByFilter extends OncePerRequestFilter {

  static final String REQUEST_ID_ATTRIBUTE = ServedByFilter.class.getName() + ".amzRequestId";

  private final String instance;

  ServedByFilter(ObjectStoreProperties properties) {
    this.instance = properties.instance();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String amzRequestId = HexFormat.of().withUpperCase().toHexDigits(nextId());
    request.setAttribute(REQUEST_ID_ATTRIBUTE, amzRequestId);
    response.setHeader("X-Served-By", instance);
    response.setHeader("x-amz-request-id", amzRequestId);
    String journeyId = request.getHeader("X-Request-Id");
    if (journeyId != null && !journeyId.isBlank()) {
      response.setHeader("X-Request-Id", journeyId);
    }
    chain.doFilter(request, response);
  }

  private static long nextId() {
    return ThreadLocalRandom.current().nextLong();
  }
}
