package io.shopstack.objectstore.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stamps every response that goes through Spring MVC with this origin's headers (ResponseStamp) and
 * keeps the {@code x-amz-request-id} for the error documents.
 */
@Component
class ServedByFilter extends OncePerRequestFilter {

  static final String REQUEST_ID_ATTRIBUTE = ServedByFilter.class.getName() + ".amzRequestId";

  private final ResponseStamp stamp;

  ServedByFilter(ResponseStamp stamp) {
    this.stamp = stamp;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String amzRequestId = stamp.apply(request.getHeader("X-Request-Id"), response::setHeader);
    request.setAttribute(REQUEST_ID_ATTRIBUTE, amzRequestId);
    chain.doFilter(request, response);
  }
}
