package io.shopstack.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.Curl;
import io.shopstack.common.testing.HeadlessChromium;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's demo command, run exactly as written, twice: the demo exits 0 after the whole
 * journey both times; the second run rebuilds nothing that changes an image, so compose recreates
 * no container, and its first page view is served from the edge's cache. Then the published host
 * ports answer dig and curl. Between them, the south phone runs once as the README shows it. The
 * first run's journey page (demo-out/) is rendered by headless Chromium and must show the journey.
 * Last, the README's stop and start of router-north, with the north phone run on its own between.
 */
class ComposeDemoIT {
  /** The purchase of DESIGN.md, byte for byte. */
  private static final String SEED_ORDER =
      "{\"order\": {\"date\": \"2018-07-01\", \"className\": \"趣谈网络协议\", \"Author\": \"刘超\", \"price\": \"68\"}}";

  /** The README's demo command, word for word (the README test checks it says so). */
  static final String DEMO_COMMAND = "./shop demo";

  /** The README's south phone, as compose arguments (the README test checks it says so). */
  static final String SOUTH_DEMO = "run --rm --no-deps demo-south";

  /** The README's cut of region north and its healing, as compose arguments (held there too). */
  static final String STOP_ROUTER_NORTH = "stop router-north";

  static final String NORTH_DEMO_ALONE = "run --rm --no-deps demo";

  static final String START_ROUTER_NORTH = "start router-north";

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
    long began = System.nanoTime();
    Compose.Result first = Compose.run(List.of("bash", "-c", DEMO_COMMAND), 900);
    long firstMillis = (System.nanoTime() - began) / 1_000_000;
    assertThat(first.exitCode()).as("first demo run exit code").isZero();
    Set<String> containersAfterFirst = Compose.containerIds();
    // The page the README promises, as a browser draws it: the hosts and steps of this journey.
    Path page = Compose.REPO_ROOT.resolve("demo-out/journey-north.html");
    assertThat(first.output())
        .contains(
            "shop: the journey as a page with its sequence diagram: demo-out/journey-north.html");
    assertThat(HeadlessChromium.dumpDom(page))
        .contains("1. Resolve", "2. Look at pictures", "3. Buy")
        .contains("router-north", "172.28.1.254", "SLB (VIP)", "172.28.0.80", "edge-north")
        .contains("POST /purchaseOrder");

    began = System.nanoTime();
    Compose.Result second = Compose.run(List.of("bash", "-c", DEMO_COMMAND), 600);
    long secondMillis = (System.nanoTime() - began) / 1_000_000;
    System.out.printf(
        "ComposeDemoIT: `%s` took %d ms the first time, %d ms the second%n",
        DEMO_COMMAND, firstMillis, secondMillis);
    assertThat(second.exitCode()).as("second demo run exit code").isZero();
    // Reproducible jars give identical images, so compose finds every container up to date.
    assertThat(Compose.containerIds())
        .as("containers after the second run")
        .isEqualTo(containersAfterFirst);
    assertThat(second.output()).doesNotContain("Recreating");
    assertThat(JourneyOutput.pageCacheVerdicts(first.output())).containsExactly("MISS", "HIT");
    // On the second run, with the stack still up, even the first view is the edge's hit.
    assertThat(JourneyOutput.pageCacheVerdicts(second.output())).containsExactly("HIT", "HIT");

    // The README's south phone, once, on the stack the demo left up: GSLB sends it to its own
    // region's edge, and its purchase leaves through its own region's router.
    Compose.Result south = Compose.compose(600, SOUTH_DEMO.split(" "));
    assertThat(south.exitCode()).as("south demo exit code").isZero();
    assertThat(south.output())
        .containsPattern("shop\\.cdn\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+172\\.28\\.2\\.20")
        .contains("kernel route: 172.28.0.80 via 172.28.2.254 dev eth0 src 172.28.2.10")
        .containsPattern("->\\s+1\\s+172\\.28\\.2\\.254\\s+router-south\\n");
    assertThat(JourneyOutput.crossing(south.output(), "router-south").verdict())
        .startsWith("MACs rewritten, TTL 64 -> 63");
    // The north demo's own path, as the README promises it.
    assertThat(JourneyOutput.crossing(first.output(), "router-north").verdict())
        .isEqualTo("MACs rewritten, TTL 64 -> 63, IP addresses unchanged");

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

    Curl.Response order =
        Curl.postJson("http://127.0.0.1:10080/purchaseOrder", "www.shop.example", SEED_ORDER);
    assertThat(order.status()).isEqualTo(201);
    assertThat(order.header("Location")).startsWith("/purchaseOrder/");

    // The README's cut of region north: without its router the north phone cannot reach the
    // resolver on the backbone (exit 3, naming the router); started again, the journey succeeds.
    assertThat(Compose.compose(120, STOP_ROUTER_NORTH.split(" ")).exitCode()).isZero();
    Compose.Result cut = Compose.compose(600, NORTH_DEMO_ALONE.split(" "));
    assertThat(cut.exitCode()).as("north phone without its router").isEqualTo(3);
    assertThat(cut.output())
        .contains(
            "172.28.0.53 is reached via gateway 172.28.1.254 (router-north) on eth0 (kernel"
                + " route), and the gateway does not answer ARP");
    assertThat(Compose.compose(120, START_ROUTER_NORTH.split(" ")).exitCode()).isZero();
    Compose.Result healed = Compose.compose(600, NORTH_DEMO_ALONE.split(" "));
    assertThat(healed.exitCode()).as("north phone with its router back").isZero();
  }
}
