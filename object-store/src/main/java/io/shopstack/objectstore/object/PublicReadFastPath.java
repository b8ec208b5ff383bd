package io.shopstack.objectstore.object;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.objectstore.auth.AuthProperties;
import io.shopstack.objectstore.sendfile.FileBody;
import io.shopstack.objectstore.storage.ObjectStorage;
import io.shopstack.objectstore.storage.StoredObject;
import io.shopstack.objectstore.system.ResponseStamp;
import io.shopstack.objectstore.system.S3Exception;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The CDN edges' request, served without Spring MVC: an unsigned GET of an object in a public-read
 * bucket, answered 200 or 206 by a Jetty core handler whose body goes out with {@code sendfile(2)}
 * (sendfile.FileBody): from the page cache to the socket, no copy in the process and no thread
 * parked on the write.
 *
 * <p>Why: a 1 MiB GET through the servlet path cost about 1.4 ms of CPU (JIT excluded, measured per
 * request under wrk) against nginx's 0.15 ms: the MVC dispatch, a blocking servlet output that
 * parks a thread per slice, and two copies (file into a buffer, buffer into the socket).
 *
 * <p>Everything else goes on to Spring MVC unchanged, decided before a header is written: signed
 * requests, query strings ({@code response-*}, {@code versionId}, {@code partNumber}, ...), HEAD,
 * paths with escapes or dot segments, missing buckets and keys, 304, 412 and 416 (their answers and
 * S3 error documents are made in one place only), and bodies above {@link #LARGEST_SENT}, which the
 * servlet path streams in slices. PublicReadFastPathTests holds both paths to the same status,
 * headers and bytes.
 */
@Component
public class PublicReadFastPath {

  /** Larger bodies take the servlet path, which streams them in slices. */
  static final long LARGEST_SENT = FileBody.LARGEST;

  /** {@code /bucket/key} with nothing that needs decoding or normalising. */
  private static final Pattern PLAIN_PATH =
      Pattern.compile(
          "/([a-z0-9][a-z0-9.-]*)/([A-Za-z0-9._~!$&'()*+,=:@-]+(?:/[A-Za-z0-9._~!$&'()*+,=:@-]+)*)");

  private final ObjectStorage storage;
  private final AuthProperties auth;
  private final ResponseStamp stamp;
  private final Counter whole;
  private final Counter partial;

  PublicReadFastPath(
      ObjectStorage storage, AuthProperties auth, ResponseStamp stamp, MeterRegistry meters) {
    this.storage = storage;
    this.auth = auth;
    this.stamp = stamp;
    // Spring's http.server.requests never sees these GETs: they get a count of their own
    this.whole = fastPathResponses(meters, 200);
    this.partial = fastPathResponses(meters, 206);
  }

  private static Counter fastPathResponses(MeterRegistry meters, int status) {
    return Counter.builder("objectstore.fastpath.responses")
        .description("Unsigned public-read GETs answered by the sendfile fast path")
        .tag("status", String.valueOf(status))
        .register(meters);
  }

  /**
   * Puts the fast path in front of {@code next} (the servlet context holding Spring MVC), on the
   * connector's selector thread: the front declares itself NON_BLOCKING, so Jetty parses and hands
   * each request to it where the socket became readable, without waking another thread (that
   * hand-off was the largest part of a GET's system calls: futex wake-ups and their context
   * switches). What the fast path does not answer goes to a pool thread, where Spring MVC may block
   * as it always did.
   */
  public Handler wrap(Handler next) {
    return new Handler.Wrapper(next) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        if (serve(request, response, callback)) {
          return true;
        }
        request.getContext().execute(() -> handleBlocking(request, response, callback));
        return true;
      }

      private void handleBlocking(Request request, Response response, Callback callback) {
        try {
          if (!super.handle(request, response, callback)) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
          }
        } catch (Throwable failure) {
          Response.writeError(request, response, callback, failure);
        }
      }

      @Override
      public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
      }
    };
  }

  /** Answers the request and returns true, or returns false having touched nothing. */
  private boolean serve(Request request, Response response, Callback callback) throws IOException {
    HttpFields headers = request.getHeaders();
    HttpURI uri = request.getHttpURI();
    if (!"GET".equals(request.getMethod())
        || uri.getQuery() != null
        || uri.hasViolations()
        || headers.contains(HttpHeader.AUTHORIZATION)
        || headers.contains(ObjectChecksums.MODE)) {
      return false;
    }
    var path = PLAIN_PATH.matcher(uri.getPath());
    if (!path.matches() || hasDotSegment(path.group(2)) || !auth.publicRead(path.group(1))) {
      return false;
    }
    Optional<ObjectStorage.Content> found;
    try {
      found = storage.open(path.group(1), path.group(2));
    } catch (IOException | RuntimeException e) {
      // no such bucket, a key S3 would refuse, a disk error: the S3 error document is made there
      return false;
    }
    if (found.isEmpty()) {
      return false;
    }
    ObjectStorage.Content content = found.get();
    try {
      StoredObject object = content.object();
      Optional<ByteRange> range;
      try {
        if (Preconditions.evaluate(
                object,
                headers.get(HttpHeader.IF_MATCH),
                headers.get(HttpHeader.IF_UNMODIFIED_SINCE),
                headers.get(HttpHeader.IF_NONE_MATCH),
                headers.get(HttpHeader.IF_MODIFIED_SINCE))
            == Preconditions.Outcome.NOT_MODIFIED) {
          content.close();
          return false;
        }
        range =
            Preconditions.rangeApplies(object, headers.get(HttpHeader.IF_RANGE))
                ? ByteRange.parse(headers.get(HttpHeader.RANGE), object.size())
                : Optional.empty();
      } catch (S3Exception e) {
        content.close();
        return false; // 412 or 416
      }
      long first = range.map(ByteRange::first).orElse(0L);
      long length = range.map(ByteRange::length).orElse(object.size());
      if (length > LARGEST_SENT) {
        content.close();
        return false;
      }
      FileBody body;
      try {
        body = FileBody.of(request, content.channel(), first, length);
      } catch (IOException e) {
        content.close();
        return false; // the servlet path reads it in slices, or answers the error
      }
      answer(request, response, object, range, length);
      (range.isPresent() ? partial : whole).increment();
      body.send(request, response, callback);
      return true;
    } catch (IOException | RuntimeException e) {
      content.close();
      throw e;
    }
  }

  private void answer(
      Request request,
      Response response,
      StoredObject object,
      Optional<ByteRange> range,
      long length) {
    HttpFields.Mutable out = response.getHeaders();
    stamp.apply(request.getHeaders().get("X-Request-Id"), out::put);
    ObjectResponse.representation(
        object,
        (name, value) ->
            // a field without Jetty's header constant is written exactly as stored
            out.put(
                name.equals(HttpHeaders.CONTENT_TYPE)
                    ? new HttpField(null, HttpHeader.CONTENT_TYPE.asString(), value)
                    : new HttpField(name, value)));
    if (range.isPresent()) {
      response.setStatus(206);
      out.put(HttpHeader.CONTENT_RANGE, range.get().contentRange(object.size()));
    } else {
      response.setStatus(200);
    }
    out.put(HttpHeader.CONTENT_LENGTH, length);
  }

  private static boolean hasDotSegment(String key) {
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
