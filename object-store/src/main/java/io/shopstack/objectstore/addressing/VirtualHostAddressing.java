package io.shopstack.objectstore.addressing;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.springframework.stereotype.Component;

/**
 * Virtual-host-style addressing: {@code GET /photo.png} with {@code Host: images.<domain>} is
 * served as the path-style {@code GET /images/photo.png}, which is what AWS SDKs send by default
 * and what S3 and MinIO ({@code MINIO_DOMAIN}) accept. The request is rewritten in front of
 * everything else (the sendfile fast path included), so every operation exists once, path-style.
 *
 * <p>The signature covers the path the client sent, not the rewritten one: it is kept in a request
 * attribute for the SigV4 check ({@link #signedPath}).
 */
@Component
public class VirtualHostAddressing {

  private static final String SIGNED_PATH = VirtualHostAddressing.class.getName() + ".signedPath";

  private final List<String> suffixes;

  VirtualHostAddressing(VirtualHostProperties properties) {
    this.suffixes = properties.domains().stream().map(d -> "." + d).toList();
  }

  /** The raw path the client sent and signed (before any virtual-host rewrite). */
  public static String signedPath(HttpServletRequest request) {
    return request.getAttribute(SIGNED_PATH) instanceof String path
        ? path
        : request.getRequestURI();
  }

  /** Puts the rewrite in front of {@code next}; with no domains configured, nothing changes. */
  public Handler wrap(Handler next) {
    if (suffixes.isEmpty()) {
      return next;
    }
    return new Handler.Wrapper(next) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        String bucket = bucketOf(request.getHttpURI().getHost());
        if (bucket == null) {
          return super.handle(request, response, callback);
        }
        HttpURI sent = request.getHttpURI();
        String path = sent.getPath() == null || sent.getPath().isEmpty() ? "/" : sent.getPath();
        request.setAttribute(SIGNED_PATH, path);
        HttpURI rewritten = HttpURI.build(sent).path("/" + bucket + path).asImmutable();
        return super.handle(
            new Request.Wrapper(request) {
              @Override
              public HttpURI getHttpURI() {
                return rewritten;
              }
            },
            response,
            callback);
      }
    };
  }

  /** The bucket a Host names, or null for a path-style request. */
  String bucketOf(String host) {
    if (host == null) {
      return null;
    }
    String name = host.toLowerCase(Locale.ROOT);
    for (String suffix : suffixes) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return null;
  }
}
