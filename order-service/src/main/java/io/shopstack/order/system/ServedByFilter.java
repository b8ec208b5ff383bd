package io.shopstack.order.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Adds what every hop of the journey adds: {@code X-Served-By} with this instance's name, so a
 * client behind the SLB can see which order instance answered, and the caller's {@code
 * X-Request-Id} echoed back so one purchase can be followed through every log. A request that came
 * without one (straight from a phone, through the L4 SLB, which adds no header) gets a new one, so
 * every answer carries an ID the client can quote.
 *
 * <p>Outermost filter, and the headers are set before anything runs, so error answers (413 from
 * {@link BodySizeLimitFilter}, 404, 500) carry them too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ServedByFilter extends OncePerRequestFilter {

  private final String instance;

  ServedByFilter(ShopProperties shop) {
    this.instance = shop.instance();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader(HopHeaders.SERVED_BY, instance);
    response.setHeader(
        HopHeaders.REQUEST_ID, HopHeaders.requestId(request.getHeader(HopHeaders.REQUEST_ID)));
    chain.doFilter(request, response);
  }
}
