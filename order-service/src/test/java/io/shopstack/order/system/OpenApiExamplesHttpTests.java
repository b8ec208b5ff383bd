package io.shopstack.order.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.order.ShopHttpTest;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The served OpenAPI document is true: its request examples are accepted by the real endpoint, the
 * answers have the documented shape, and every documented path exists.
 */
class OpenApiExamplesHttpTests extends ShopHttpTest {

  @Test
  void theDocumentIsServedAsOpenApi31Yaml() {
    HttpResponse<String> served = send(request(shop("/openapi.yaml")).build());

    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/yaml");
    assertThat(document().get("openapi")).isEqualTo("3.1.0");
  }

  @Test
  void everyRequestExampleIsPlacedAndAnsweredInTheDocumentedShape() {
    Map<String, Object> post = at(document(), "paths", "/purchaseOrder", "post");
    Map<String, Object> examples =
        at(post, "requestBody", "content", "application/json", "examples");
    Map<String, Object> documented =
        at(post, "responses", "201", "content", "application/json", "examples", "design", "value");
    assertThat(examples).isNotEmpty();

    examples.forEach(
        (name, example) -> {
          Object value = ((Map<?, ?>) example).get("value");
          HttpResponse<String> placed = postJson(JSON.writeValueAsString(value));

          assertThat(placed.statusCode()).as(name + ": " + placed.body()).isEqualTo(201);
          JsonNode answer = json(placed);
          assertThat(fieldsOf(answer)).as(name).isEqualTo(documented.keySet());
          assertThat(fieldsOf(answer.get("order")))
              .isEqualTo(((Map<?, ?>) documented.get("order")).keySet());
          Map<?, ?> sent = (Map<?, ?>) ((Map<?, ?>) value).get("order");
          JsonNode stored = answer.get("order");
          for (String field : new String[] {"date", "className", "Author"}) {
            assertThat(stored.get(field).asString()).isEqualTo(sent.get(field));
          }
          // Stored as a number: "99.00" is echoed as "99", the same price.
          assertThat(new BigDecimal(stored.get("price").asString()))
              .isEqualByComparingTo((String) sent.get("price"));
        });
  }

  @Test
  void thePriceConflictExampleHasTheShapeOfARealOne() {
    Map<String, Object> documented =
        at(
            document(),
            "paths",
            "/purchaseOrder",
            "post",
            "responses",
            "409",
            "content",
            "application/problem+json",
            "example");

    HttpResponse<String> conflict = postJson(DESIGN_ORDER.replace("\"68\"", "\"60\""));

    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(fieldsOf(json(conflict))).isEqualTo(documented.keySet());
    assertThat(json(conflict).get("detail").asString()).isEqualTo(documented.get("detail"));
  }

  @Test
  void everyDocumentedPathIsServed() {
    long id = json(postJson(DESIGN_ORDER)).get("id").asLong();
    Map<String, Object> paths = at(document(), "paths");

    for (String path : paths.keySet()) {
      String concrete = path.replace("{id}", String.valueOf(id)).replace("{sku}", "course-1001");
      HttpResponse<String> answer = send(request(shop(concrete)).build());
      assertThat(answer.statusCode()).as(concrete).isEqualTo(200);
    }
  }

  private Map<String, Object> document() {
    return new Yaml().load(send(request(shop("/openapi.yaml")).build()).body());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> node, String... path) {
    Map<String, Object> here = node;
    for (String step : path) {
      assertThat(here).as("OpenAPI document has " + step).containsKey(step);
      here = (Map<String, Object>) here.get(step);
    }
    return here;
  }

  private static Set<String> fieldsOf(JsonNode node) {
    return new HashSet<>(node.propertyNames());
  }
}
