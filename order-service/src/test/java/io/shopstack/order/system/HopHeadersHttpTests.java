package io.shopstack.order.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.ShopHttpTest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** X-Served-By and X-Request-Id on every answer, errors included, with or without a caller's ID. */
class HopHeadersHttpTests extends ShopHttpTest {

  @Test
  void everyAnswerWithoutACallersIdGetsItsOwn() {
    List<HttpResponse<String>> answers =
        List.of(
            postJson(DESIGN_ORDER),
            postJson("{\"order\": "),
            send(request(shop("/products/course-1001")).build()),
            send(request(shop("/products/no-such-course")).build()),
            send(request(shop("/no/such/path")).build()));

    assertThat(answers)
        .extracting(HttpResponse::statusCode)
        .containsExactly(201, 400, 200, 404, 404);
    assertThat(answers)
        .allSatisfy(
            answer -> {
              assertThat(answer.headers().firstValue("X-Served-By")).hasValue(INSTANCE);
              assertThat(answer.headers().firstValue("X-Request-Id").orElseThrow())
                  .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            })
        .extracting(answer -> answer.headers().firstValue("X-Request-Id").orElseThrow())
        .doesNotHaveDuplicates();
  }

  @Test
  void aCallersIdIsEchoedOnAnError() {
    HttpResponse<String> answer =
        send(request(shop("/purchaseOrder/nope")).header("X-Request-Id", "phone-7").build());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().firstValue("X-Request-Id")).hasValue("phone-7");
  }
}
