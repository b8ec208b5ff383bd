package io.shopstack.client.diagram;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The journey page as a browser shows it: a journey document as the north phone's in Docker
 * produces it (a router on the way to the VIP), rendered by headless Chromium, which must draw
 * every host and step of it.
 */
class JourneyPageTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A north phone's journey in Docker, as {@code journey --json} printed it (trimmed). */
  static final String DOCKER_JOURNEY =
      """
      {"success":true,"exitCode":0,
       "resolve":{
        "shop":{"question":"www.shop.example.","type":"A","rcode":"NOERROR","flags":"qr rd ra",
          "server":"172.28.0.53:53","from":"172.28.1.10:40001","transport":"UDP","tookMillis":41,
          "answers":[{"name":"www.shop.example.","ttl":300,"type":"A","data":"172.28.0.80"}]},
        "static":{"question":"static.shop.example.","type":"A","rcode":"NOERROR","flags":"qr rd ra",
          "server":"172.28.0.53:53","from":"172.28.1.10:40002","transport":"UDP","tookMillis":12,
          "answers":[{"name":"static.shop.example.","ttl":300,"type":"CNAME","data":"shop.cdn.example."},
                     {"name":"shop.cdn.example.","ttl":20,"type":"A","data":"172.28.1.20"}]},
        "cnameChain":["static.shop.example.","shop.cdn.example."],
        "shopAddress":"172.28.0.80","edgeAddress":"172.28.1.20",
        "traces":[
         {"name":"www.shop.example.","type":"A","rcode":"NOERROR","finishedAtMillis":1,"steps":[
          {"server":"172.28.0.2","zone":".","question":"www.shop.example. A","rcode":"NOERROR","outcome":"referral to example.","rttMillis":3,"ecsSent":false},
          {"server":"172.28.0.3","zone":"example.","question":"www.shop.example. A","rcode":"NOERROR","outcome":"referral to shop.example.","rttMillis":2,"ecsSent":false},
          {"server":"172.28.0.4","zone":"shop.example.","question":"www.shop.example. A","rcode":"NOERROR","outcome":"answer www.shop.example. A 172.28.0.80","rttMillis":2,"ecsSent":false}]},
         {"name":"static.shop.example.","type":"A","rcode":"NOERROR","finishedAtMillis":2,"steps":[
          {"server":"172.28.0.4","zone":"shop.example.","question":"static.shop.example. A","rcode":"NOERROR","outcome":"CNAME to shop.cdn.example.","rttMillis":2,"ecsSent":false},
          {"server":"172.28.0.3","zone":"example.","question":"cdn.example. A","rcode":"NOERROR","outcome":"referral to cdn.example.","rttMillis":1,"ecsSent":false},
          {"server":"172.28.0.5","zone":"cdn.example.","question":"shop.cdn.example. A","rcode":"NOERROR","outcome":"answer shop.cdn.example. A 172.28.1.20","rttMillis":2,"ecsSent":true}]}],
        "gslb":{"clientRegion":"north","reason":"home","region":"north","chosen":["edge-north(172.28.1.20)"],"explanation":[]}},
       "pictures":{
        "page":{"method":"GET","host":"static.shop.example","target":"/products/course-1001","requestId":"r1",
          "local":"172.28.1.10:50001","remote":"172.28.1.20:80","status":200,"connectMillis":1,"firstByteMillis":30,"totalMillis":33,"bodyBytes":900,
          "headers":{"X-Cache":"MISS","X-Cache-Origin":"MISS","Age":"0","Via":"1.1 dc-cache, 1.1 edge-north","X-Served-By":"order-1, dc-cache, edge-north","Cache-Control":"max-age=60"}},
        "images":[{"method":"GET","host":"static.shop.example","target":"/images/course-1001.png","requestId":"r2",
          "local":"172.28.1.10:50002","remote":"172.28.1.20:80","status":200,"connectMillis":1,"firstByteMillis":20,"totalMillis":25,"bodyBytes":5000,
          "headers":{"X-Cache":"MISS","X-Cache-Origin":null,"Age":"0","Via":"1.1 edge-north","X-Served-By":"object-store, edge-north","Cache-Control":null}}],
        "reload":{"method":"GET","host":"static.shop.example","target":"/products/course-1001","requestId":"r3",
          "local":"172.28.1.10:50003","remote":"172.28.1.20:80","status":200,"connectMillis":1,"firstByteMillis":2,"totalMillis":3,"bodyBytes":900,
          "headers":{"X-Cache":"HIT","X-Cache-Origin":"MISS","Age":"1","Via":"1.1 dc-cache, 1.1 edge-north","X-Served-By":"order-1, dc-cache, edge-north","Cache-Control":"max-age=60"}}},
       "buy":{
        "exchange":{"method":"POST","host":"www.shop.example","target":"/purchaseOrder","requestId":"r4",
          "local":"172.28.1.10:50004","remote":"172.28.0.80:80","status":201,"connectMillis":2,"firstByteMillis":60,"totalMillis":63,"bodyBytes":200,
          "headers":{"X-Cache":null,"X-Cache-Origin":null,"Age":null,"Via":null,"X-Served-By":"order-2","Cache-Control":null}},
        "status":201,"orderId":"42","location":"/purchaseOrder/42","servedBy":"order-2",
        "phoneAddress":"172.28.1.10","clientAddress":"172.28.1.10",
        "path":{"route":{"line":"172.28.0.80 via 172.28.1.254 dev eth0 src 172.28.1.10 uid 0","gateway":"172.28.1.254","device":"eth0","source":"172.28.1.10"},
          "gatewayMac":"02:42:ac:1c:01:fe","gatewayState":"REACHABLE",
          "hops":[{"ttl":1,"address":"172.28.1.254","router":"router-north","reached":false},{"ttl":2,"address":"172.28.0.80","router":null,"reached":true}],"hopsNote":null,
          "crossings":[{"router":"router-north","source":"172.28.1.10:50004","destination":"172.28.0.80:80",
            "in":{"device":"eth1","address":"172.28.1.254/24","sourceMac":"02:42:ac:1c:01:0a","destinationMac":"02:42:ac:1c:01:fe","ttl":64,"sourceAddress":"172.28.1.10","destinationAddress":"172.28.0.80"},
            "out":{"device":"eth0","address":"172.28.0.254/24","sourceMac":"02:42:ac:1c:00:fe","destinationMac":"02:42:ac:1c:00:50","ttl":63,"sourceAddress":"172.28.1.10","destinationAddress":"172.28.0.80"}}],
          "capturesNote":null}},
       "steps":[
        {"name":"resolve","ok":true,"summary":"www.shop.example -> 172.28.0.80","tookMillis":120,"problems":[]},
        {"name":"pictures","ok":true,"summary":"page 200 MISS, reload HIT","tookMillis":80,"problems":[]},
        {"name":"buy","ok":true,"summary":"status 201, order 42","tookMillis":70,"problems":[]}]}
      """;

  @TempDir Path dir;

  @Test
  void chromiumDrawsEveryHostAndStepOfTheJourneyWithTheRouterOnTheWayToTheVip() throws Exception {
    Path page = dir.resolve("journey.html");
    JourneyPage.write(DOCKER_JOURNEY, page);

    Path png = dir.resolve("journey.png");
    HeadlessChromium.screenshot(page, png, 2100, 1900);
    Files.copy(
        png,
        Path.of("target", "journey-page-docker.png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(2100);
    assertThat(distinctColours(image)).as("a drawing, not a blank page").isGreaterThan(20);

    String dom = HeadlessChromium.dumpDom(page);
    assertThat(lifelines(dom))
        .containsExactly(
            "phone",
            "resolver",
            "dns:172.28.0.2",
            "dns:172.28.0.3",
            "dns:172.28.0.4",
            "dns:172.28.0.5",
            "edge",
            "dc-cache",
            "object-store",
            "router:172.28.1.254",
            "slb",
            "order-1",
            "order-2");
    assertThat(dom)
        .contains("root DNS", "TLD DNS (example)", "shop.example DNS", "cdn.example DNS")
        .contains("edge-north", "SLB (VIP)", "172.28.0.80", "router-north", "172.28.1.254")
        .contains("1. Resolve (120 ms)", "2. Look at pictures (80 ms)", "3. Buy (70 ms)")
        .contains("www.shop.example. A?")
        .contains("referral to example. (3 ms)")
        .contains("GSLB: client north, home -&gt; region north, edge-north(172.28.1.20)")
        .contains("GET /products/course-1001 (TCP 1 ms)")
        .contains("200 MISS, 900 bytes (33 ms)")
        .contains("HIT: from the edge's cache, Age 1")
        .contains("POST /purchaseOrder (TCP 172.28.1.10:50004 -&gt; 172.28.0.80:80, 2 ms)")
        .contains("gateway MAC 02:42:ac:1c:01:fe (neighbour table)")
        .contains(
            "SYN in ttl 64 02:42:ac:1c:01:0a &gt; 02:42:ac:1c:01:fe,"
                + " out ttl 63 02:42:ac:1c:00:fe &gt; 02:42:ac:1c:00:50 (its capture)")
        .contains("spliced + PROXY v2 (client 172.28.1.10)")
        .contains("order 42, client 172.28.1.10 recorded")
        .contains("201 Created, /purchaseOrder/42 (63 ms)")
        .contains("journey OK (exit code 0)");
    // The purchase crosses the router both ways; the miss goes edge -> dc-cache -> the shop.
    assertThat(dom)
        .contains("data-step=\"buy\" data-from=\"phone\" data-to=\"router:172.28.1.254\"")
        .contains("data-step=\"buy\" data-from=\"router:172.28.1.254\" data-to=\"slb\"")
        .contains("data-step=\"buy\" data-from=\"slb\" data-to=\"router:172.28.1.254\"")
        .contains("data-step=\"pictures\" data-from=\"edge\" data-to=\"dc-cache\"")
        .contains("data-step=\"pictures\" data-from=\"dc-cache\" data-to=\"order-1\"")
        .contains("data-step=\"pictures\" data-from=\"edge\" data-to=\"object-store\"");
    // Self-contained: nothing to fetch (the SVG namespace is a name, not a download).
    assertThat(Files.readString(page)).doesNotContain("<script", "<link", "<img", " src=", "href=");
  }

  @Test
  void aFlatNetworkDrawsNoRouter() throws Exception {
    ObjectNode journey = (ObjectNode) JSON.readTree(DOCKER_JOURNEY);
    ObjectNode path = (ObjectNode) journey.path("buy").path("path");
    ((ObjectNode) path.path("route")).putNull("gateway");
    path.putArray("hops");

    String html = JourneyPage.render(journey);

    assertThat(lifelines(html)).doesNotContain("router:172.28.1.254").contains("phone", "slb");
    assertThat(html).contains("data-step=\"buy\" data-from=\"phone\" data-to=\"slb\"");
  }

  @Test
  void whatServersSaidIsEscapedAndAFailedStepIsShownWithItsProblem() throws Exception {
    ObjectNode journey = (ObjectNode) JSON.readTree(DOCKER_JOURNEY);
    journey.put("success", false).put("exitCode", 4);
    ObjectNode buy = (ObjectNode) journey.path("buy");
    buy.putNull("exchange");
    buy.putNull("servedBy");
    ObjectNode step = (ObjectNode) journey.path("steps").get(2);
    step.put("ok", false);
    step.putArray("problems")
        .addObject()
        .put("failure", "CONNECT")
        .put("text", "connection refused by <script>alert(1)</script>");

    String html = JourneyPage.render(journey);

    assertThat(html)
        .doesNotContain("<script>")
        .contains("connection refused by &lt;script&gt;")
        .contains("journey FAILED (exit code 4)")
        .contains("3. Buy (70 ms, FAILED)");
    assertThat(lifelines(html)).doesNotContain("slb", "order-2");
  }

  private static java.util.List<String> lifelines(String html) {
    return java.util.regex.Pattern.compile("class=\"lifeline\" data-host=\"([^\"]+)\"")
        .matcher(html)
        .results()
        .map(m -> m.group(1))
        .toList();
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  static JsonNode dockerJourney() {
    return JSON.readTree(DOCKER_JOURNEY);
  }
}
