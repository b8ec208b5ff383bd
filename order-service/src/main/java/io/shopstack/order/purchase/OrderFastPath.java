package io.shopstack.order.purchase;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.shopstack.order.system.ApiErrorHandler;
import io.shopstack.order.system.HopHeaders;
import io.shopstack.order.system.Problem;
import io.shopstack.order.system.ShopProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journey's purchase without the servlet stack: {@code POST /purchaseOrder} and {@code GET
 * /purchaseOrder/{id}} answered by a Jetty core handler in front of Spring MVC, calling the same
 * {@link PurchaseOrderController} methods, the same error answers and the same JSON mapper.
 *
 * <p>Why: an order cost 4-5 ms of CPU, of which this module's code was 3 %; the rest was Jetty's
 * servlet layer, Spring MVC's dispatch and argument binding, and the per-request observation (JFR,
 * bench/order-service.sh). The issue's 3,000 orders/s on 2 cores allow 0.67 ms for everything.
 *
 * <p>Everything unusual goes on to Spring MVC unchanged, decided before a byte of the answer is
 * written: other paths and methods, query strings, an {@code Accept} other than none or {@code
 * *}{@code /*}, another content type or charset, no {@code Content-Length}, a chunked body, {@code
 * Expect}, a body over {@code shop.max-request-body}, two {@code Idempotency-Key}s, and a body that
 * is not JSON of the contract's shape (passed on with the bytes already read, so Spring's 400 says
 * where it broke). Refusals after the body was read (400, 409, 422, 503) are the controller's and
 * {@link ApiErrorHandler}'s own answers. OrderFastPathHttpTests holds both paths to the same
 * status, headers and body.
 */
@Component
class OrderFastPath {

  private static final String ORDERS = "/purchaseOrder";
  private static final Pattern ONE_ORDER = Pattern.compile("/purchaseOrder/([0-9]{1,18})");

  private final PurchaseOrderController orders;
  private final ApiErrorHandler errors;
  private final JsonMapper json;
  // Built once: the mapper's readValue/writeValue look the type's (de)serializer up per call.
  private final ObjectReader orderReader;
  private final OrderRequestJson contractReader;
  private final ObjectWriter orderWriter;
  private final MeterRegistry meters;
  private final String instance;
  private final long maxBody;
  private final Timer placed;
  private final Timer shown;

  OrderFastPath(
      PurchaseOrderController orders,
      ApiErrorHandler errors,
      JsonMapper json,
      MeterRegistry meters,
      ShopProperties shop) {
    this.orders = orders;
    this.errors = errors;
    this.json = json;
    this.orderReader = json.readerFor(PurchaseOrderRequest.class);
    this.contractReader = new OrderRequestJson(json.tokenStreamFactory());
    this.orderWriter = json.writerFor(PurchaseOrderResponse.class);
    this.meters = meters;
    this.instance = shop.instance();
    this.maxBody = shop.maxRequestBody().toBytes();
    this.placed = requests("POST", ORDERS, 201);
    this.shown = requests("GET", ORDERS + "/{id}", 200);
  }

  /**
   * Spring's {@code http.server.requests} never sees these requests: they are timed into the same
   * meter, same tags, so /metrics and its dashboards show every order whichever path took it.
   */
  private Timer requests(String method, String uri, int status) {
    return Timer.builder("http.server.requests")
        .tag("error", "none")
        .tag("exception", "none")
        .tag("method", method)
        .tag("outcome", Outcome.forStatus(status).name())
        .tag("status", String.valueOf(status))
        .tag("uri", uri)
        .register(meters);
  }

  /**
   * Answers the request, or hands it to {@code next} (the servlet context holding Spring MVC)
   * having written nothing.
   */
  boolean serve(Request request, Response response, Callback callback, Handler next)
      throws Exception {
    HttpURI uri = request.getHttpURI();
    HttpFields headers = request.getHeaders();
    if (uri.getQuery() != null || uri.hasViolations() || !acceptsAny(headers)) {
      return next.handle(request, response, callback);
    }
    String path = uri.getPath();
    String method = request.getMethod();
    if ("POST".equals(method) && ORDERS.equals(path) && plainJsonBody(request, headers)) {
      return place(request, response, callback, next);
    }
    Matcher one = ONE_ORDER.matcher(path);
    if ("GET".equals(method) && one.matches()) {
      long start = System.nanoTime();
      ResponseEntity<?> answer;
      try {
        answer = orders.show(Long.parseLong(one.group(1)));
      } catch (RuntimeException e) {
        answer = errors.anyOther(e);
      }
      answer(request, response, callback, answer, "GET", ORDERS + "/{id}", start);
      return true;
    }
    return next.handle(request, response, callback);
  }

  private boolean place(Request request, Response response, Callback callback, Handler next)
      throws Exception {
    long start = System.nanoTime();
    byte[] bytes = new byte[Math.toIntExact(request.getLength())];
    int filled = 0;
    InputStream in = Content.Source.asInputStream(request);
    try {
      for (int n;
          filled < bytes.length && (n = in.read(bytes, filled, bytes.length - filled)) > 0; ) {
        filled += n;
      }
    } catch (IOException cut) {
      // the body ended early or the connection broke: Spring MVC reads what came and then the
      // same failure, so its 400 says where the JSON stopped
      return next.handle(
          new ReplayedBody(request, new CutBody(ByteBuffer.wrap(bytes, 0, filled), cut)),
          response,
          callback);
    }
    ByteBuffer body = ByteBuffer.wrap(bytes, 0, filled);
    PurchaseOrderRequest order = read(body.duplicate());
    if (order == null) {
      return next.handle(
          new ReplayedBody(request, new ByteBufferContentSource(body)), response, callback);
    }
    ResponseEntity<?> answer;
    try {
      // With shop.proxy-protocol on, the connection's remote address is the PROXY header's.
      answer =
          orders.place(
              order,
              request.getHeaders().get(IdempotencyKey.HEADER),
              Request.getRemoteAddr(request));
    } catch (RuntimeException e) {
      Optional<ResponseEntity<Problem>> refused = PurchaseOrderController.refusal(e);
      answer = refused.isPresent() ? refused.get() : errors.anyOther(e);
    }
    answer(request, response, callback, answer, "POST", ORDERS, start);
    return true;
  }

  /** The body as the contract's request, or null for anything Spring MVC should answer. */
  private PurchaseOrderRequest read(ByteBuffer body) {
    try {
      if (body.hasArray()) {
        int offset = body.arrayOffset() + body.position();
        PurchaseOrderRequest plain = contractReader.read(body.array(), offset, body.remaining());
        return plain != null
            ? plain
            : orderReader.readValue(body.array(), offset, body.remaining());
      }
      byte[] bytes = new byte[body.remaining()];
      body.get(bytes);
      return orderReader.readValue(bytes);
    } catch (JacksonException malformed) {
      return null;
    }
  }

  /** Spring MVC answers clients that ask for a particular type (406 and its negotiation). */
  private static boolean acceptsAny(HttpFields headers) {
    String accept = headers.get(HttpHeader.ACCEPT);
    return accept == null || "*/*".equals(accept);
  }

  /** JSON in UTF-8 with a declared length within the limit, in one header of each kind. */
  private boolean plainJsonBody(Request request, HttpFields headers) {
    long length = request.getLength();
    if (length <= 0
        || length > maxBody
        || headers.contains(HttpHeader.TRANSFER_ENCODING)
        || headers.contains(HttpHeader.EXPECT)
        || headers.getValuesList(IdempotencyKey.HEADER).size() > 1) {
      return false;
    }
    String type = headers.get(HttpHeader.CONTENT_TYPE);
    if (type == null) {
      return false;
    }
    String plain = type.replace(" ", "").toLowerCase(Locale.ROOT);
    return plain.equals("application/json") || plain.equals("application/json;charset=utf-8");
  }

  private void answer(
      Request request,
      Response response,
      Callback callback,
      ResponseEntity<?> answer,
      String method,
      String uri,
      long start) {
    int status = answer.getStatusCode().value();
    HttpFields.Mutable out = response.getHeaders();
    out.put(HopHeaders.SERVED_BY, instance);
    out.put(
        HopHeaders.REQUEST_ID,
        HopHeaders.requestId(request.getHeaders().get(HopHeaders.REQUEST_ID)));
    answer
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                values.forEach(value -> out.add(new HttpField(name, value)));
              }
            });
    MediaType type = answer.getHeaders().getContentType();
    out.put(HttpHeader.CONTENT_TYPE, (type != null ? type : MediaType.APPLICATION_JSON).toString());
    response.setStatus(status);
    Object content = answer.getBody();
    byte[] body = null;
    if (content instanceof PurchaseOrderResponse order) {
      body = OrderAnswerJson.write(order);
      if (body == null) {
        body = orderWriter.writeValueAsBytes(order);
      }
    } else {
      body = json.writeValueAsBytes(content);
    }
    out.put(HttpHeader.CONTENT_LENGTH, body.length);
    Timer timer =
        status == 201 && method.equals("POST")
            ? placed
            : status == 200 && method.equals("GET") ? shown : requests(method, uri, status);
    timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** The part of a body that came before its reading failed, then the same failure. */
  private static final class CutBody implements Content.Source {

    private ByteBuffer received;
    private final IOException failure;

    CutBody(ByteBuffer received, IOException failure) {
      this.received = received;
      this.failure = failure;
    }

    @Override
    public Content.Chunk read() {
      ByteBuffer first = received;
      if (first != null && first.hasRemaining()) {
        received = null;
        return Content.Chunk.from(first, false);
      }
      return Content.Chunk.from(failure);
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run();
    }

    @Override
    public void fail(Throwable ignored) {}
  }

  /** The request with its body already read: the same bytes (or failure) again, for Spring MVC. */
  private static final class ReplayedBody extends Request.Wrapper {

    private final Content.Source body;

    ReplayedBody(Request request, Content.Source body) {
      super(request);
      this.body = body;
    }

    @Override
    public Content.Chunk read() {
      return body.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
      body.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
      body.fail(failure);
    }
  }
}
