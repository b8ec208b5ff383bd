package io.shopstack.order.purchase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopstack.order.OrderServiceApplication;
import io.shopstack.order.product.Catalog;
import io.shopstack.order.system.ShopProperties;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** The controller's contract: which bodies become orders and what every refusal says. */
@WebMvcTest(
    controllers = PurchaseOrderController.class,
    properties = OrderServiceApplication.CONFIG)
// Configuration properties are not scanned in a slice; the controller needs the instance name.
@EnableConfigurationProperties(ShopProperties.class)
@Import({SimpleMeterRegistry.class, OrderDesk.class, GroupCommit.class})
class PurchaseOrderControllerTests {

  private static final String ORDER =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\","
          + " \"price\": \"68\"}}";

  @Autowired MockMvcTester mvc;

  @MockitoBean PurchaseOrderRepository orders;

  @MockitoBean Catalog catalog;

  @Test
  void aValidOrderIsSavedAndAnswered201WithItsLocation() {
    given(orders.saveIfInCatalog(any(), anyString(), anyString(), any(), any()))
        .willReturn(OptionalLong.of(42L));

    assertThat(
            mvc.post()
                .uri("/purchaseOrder")
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-Request-Id", "r-1")
                .content(ORDER))
        .hasStatus(HttpStatus.CREATED)
        .hasHeader("Location", "/purchaseOrder/42")
        .hasHeader("X-Served-By", "order-1")
        .hasHeader("X-Request-Id", "r-1")
        .bodyJson()
        .isLenientlyEqualTo(
            "{\"id\": 42, \"servedBy\": \"order-1\", \"order\": {\"date\": \"2018-07-01\","
                + " \"className\": \"趣谈网络协议\", \"Author\": \"刘超\", \"price\": \"68\"}}");
    verify(orders)
        .saveIfInCatalog(
            eq(new NewOrder(LocalDate.of(2018, 7, 1), "趣谈网络协议", "刘超", new BigDecimal("68"))),
            eq("order-1"),
            eq("127.0.0.1"),
            any(),
            eq(null));
  }

  @Test
  void anInvalidFieldIs400NamingItAndNothingIsSaved() {
    assertThat(
            mvc.post()
                .uri("/purchaseOrder")
                .contentType(MediaType.APPLICATION_JSON)
                .content(ORDER.replace("\"68\"", "\"-68\"")))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .isLenientlyEqualTo("{\"errors\": [{\"field\": \"order.price\"}]}");
    verifyNoInteractions(orders);
  }

  @Test
  void aBodyWithoutOrderIs400NamingOrder() {
    assertThat(
            mvc.post()
                .uri("/purchaseOrder")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"date\": \"2018-07-01\"}"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .isLenientlyEqualTo("{\"errors\": [{\"field\": \"order\"}]}");
  }

  @Test
  void aWrongJsonTypeIsMalformedJsonNamingTheField() {
    assertThat(
            mvc.post()
                .uri("/purchaseOrder")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"order\": {\"date\": {\"year\": 2018}}}"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.detail")
        .asString()
        .startsWith("malformed JSON: order.date: ");
  }

  @Test
  void xmlIs415() {
    assertThat(
            mvc.post()
                .uri("/purchaseOrder")
                .contentType(MediaType.APPLICATION_XML)
                .content("<order/>"))
        .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .bodyJson()
        .extractingPath("$.detail")
        .asString()
        .contains("application/xml");
    verify(orders, never()).saveIfInCatalog(any(), any(), any(), any(), any());
  }

  @Test
  void aMissingOrderIs404AndANonNumericIdIs400() {
    given(orders.findById(7)).willReturn(Optional.empty());

    assertThat(mvc.get().uri("/purchaseOrder/7"))
        .hasStatus(HttpStatus.NOT_FOUND)
        .bodyJson()
        .isLenientlyEqualTo("{\"status\": 404, \"detail\": \"no purchase order 7\"}");
    assertThat(mvc.get().uri("/purchaseOrder/seven"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .isLenientlyEqualTo("{\"errors\": [{\"field\": \"id\"}]}");
  }

  @Test
  void aPageLimitOutOfRangeIs400NamingIt() {
    assertThat(mvc.get().uri("/purchaseOrder?limit=1000"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .isLenientlyEqualTo("{\"errors\": [{\"field\": \"limit\"}]}");
    verifyNoInteractions(orders);
  }
}
