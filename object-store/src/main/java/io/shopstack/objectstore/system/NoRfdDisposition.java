package io.shopstack.objectstore.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps Spring MVC's reflected-file-download guard off S3 answers: on a path ending in an extension
 * it does not know ({@code /bucket/notes.bin?tagging}, a 404 for {@code /images/x.bin}) it adds
 * {@code Content-Disposition: inline;filename=f.txt} to every message-converter body, here the S3
 * XML documents. S3 sends no such header, and a client that saves what it gets would name the file
 * f.txt. The guard adds its header as its last step, with {@code addHeader} and exactly that value;
 * a Content-Disposition an object stored is set by the object path with {@code setHeader} and
 * passes untouched.
 */
@Component
class NoRfdDisposition extends OncePerRequestFilter {

  static final String GUARD_VALUE = "inline;filename=f.txt";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(request, new WithoutGuardHeader(response));
  }

  private static final class WithoutGuardHeader extends HttpServletResponseWrapper {

    WithoutGuardHeader(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void addHeader(String name, String value) {
      if (GUARD_VALUE.equals(value) && HttpHeaders.CONTENT_DISPOSITION.equalsIgnoreCase(name)) {
        return;
      }
      super.addHeader(name, value);
    }
  }
}
