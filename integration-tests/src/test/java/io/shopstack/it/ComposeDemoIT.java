package io.shopstack.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose file users run, run the way the README says: the demo exits 0 after the whole
 * journey, and a second run, with the stack still up, is served from the edge's cache. Then the
 * published host ports answer dig and curl.
 */
class ComposeDemoIT {
  @BeforeAll
  static void build() {
    Compose.buildImagesOnce();
  }

  @AfterAll
  static void down() {
    Compose.compose(180, "down", "-v", "--remove-orphans", "-t", "2");
  }

  @Test
  void demoRunsTheJourneyAndTheSecondRunHitsTheCache() {
    Compose.Result first = Compose.compose(600, "up", "--exit-code-from", "demo", "demo");
    assertThat(first.exitCode()).as("first demo run exit code").isZero();

    Compose.Result second = Compose.compose(300, "up", "--exit-code-from", "demo", "demo");
    assertThat(second.exitCode()).as("second demo run exit code").isZero();
    assertThat(JourneyOutput.pageCacheVerdicts(first.output())).containsExactly("MISS", "HIT");
    // On the second run, with the stack still up, even the first view is the edge's hit.
    assertThat(JourneyOutput.pageCacheVerdicts(second.output())).containsExactly("HIT", "HIT");

    Compose.Result dig =
        Compose.run(
            List.of(
                "dig", "+time=5", "+tries=2", "@127.0.0.1", "-p", "10053", "static.shop.example"),
            30);
    assertThat(dig.output())
        .contains("status: NOERROR")
        .containsPattern(
            "static\\.shop\\.example\\.\\s+\\d+\\s+IN\\s+CNAME\\s+shop\\.cdn\\.example\\.")
        .containsPattern("shop\\.cdn\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+172\\.28\\.[12]\\.20");

    Compose.Result curl =
        Compose.run(
            List.of(
                "curl",
                "-sS",
                "-i",
                "--max-time",
                "10",
                "-H",
                "Host: www.shop.example",
                "-H",
                "Content-Type: application/json; charset=utf-8",
                "--data-binary",
                "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\", \"price\": \"68\"}}",
                "http://127.0.0.1:10080/purchaseOrder"),
            30);
    assertThat(curl.output())
        .startsWith("HTTP/1.1 201")
        .containsIgnoringCase("Location: /purchaseOrder/");
  }
}
