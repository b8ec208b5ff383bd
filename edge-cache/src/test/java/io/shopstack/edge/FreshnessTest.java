package io.shopstack.edge;

import static io.shopstack.edge.support.EdgeClient.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.shopstack.edge.support.EdgeClient;
import io.shopstack.edge.support.EdgeConfigs;
import io.shopstack.edge.support.OriginFixture;
import io.shopstack.edge.support.OriginFixture.Answer;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How long a response stays fresh, as an outside conformance run checks it: Expires, Age lists, odd
 * max-age values, redirects, the Last-Modified heuristic, CDN-Cache-Control and Set-Cookie.
 */
class FreshnessTest {
  private OriginFixture origin;
  private EdgeCacheServer edge;
  private EdgeClient client;

  @BeforeEach
  void start() throws Exception {
    origin = new OriginFixture("origin");
    edge = new EdgeCacheServer(EdgeConfigs.local("edge-north", origin.route("/products/"))).start();
    client = new EdgeClient(edge.port());
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  /** Two GETs; the X-Cache of the second and how many reached the origin. */
  private String secondVerdict(String path, Answer answer) throws Exception {
    origin.answer(path, answer);
    client.get(path);
    return xCache(client.get(path)) + " after " + origin.requests(path) + " origin request(s)";
  }

  private static String inSeconds(long seconds) {
    return DateFormatter.format(new Date(System.currentTimeMillis() + seconds * 1000));
  }

  @Test
  void expiresInTheFutureMakesAResponseFresh() throws Exception {
    assertThat(
            secondVerdict(
                "/products/expires", Answer.withHeaders(Map.of("Expires", inSeconds(600)), "x")))
        .isEqualTo("HIT after 1 origin request(s)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"past", "0", "not a date"})
  void anExpiresInThePastOrInvalidIsAlreadyStale(String expires) throws Exception {
    String value = expires.equals("past") ? inSeconds(-600) : expires;
    assertThat(
            secondVerdict("/products/expired", Answer.withHeaders(Map.of("Expires", value), "x")))
        .isEqualTo("MISS after 2 origin request(s)");
  }

  @Test
  void maxAgeWinsOverExpires() throws Exception {
    Map<String, String> headers = Map.of("Expires", inSeconds(600), "Cache-Control", "max-age=0");
    assertThat(secondVerdict("/products/both", Answer.withHeaders(headers, "x")))
        .isEqualTo("MISS after 2 origin request(s)");
  }

  @Test
  void anAgeListCountsByItsFirstMember() throws Exception {
    // Two hours old on arrival, fresh for one: stale, whatever the second member says.
    Map<String, String> headers = Map.of("Cache-Control", "max-age=3600", "Age", "7200, 0");
    assertThat(secondVerdict("/products/aged", Answer.withHeaders(headers, "old")))
        .startsWith("MISS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-7200", "7200.0", "7200;foo=bar", "7200;foo=111"})
  void anAgeThatIsNotANonNegativeIntegerCountsAsStale(String age) throws Exception {
    // cache-tests.fyi's age-parse tests: a cache that cannot tell the age asks the origin.
    Map<String, String> headers = Map.of("Cache-Control", "max-age=3600", "Age", age);
    assertThat(secondVerdict("/products/unknown-age", Answer.withHeaders(headers, "x")))
        .isEqualTo("MISS after 2 origin request(s)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "max-age=3600.0",
        "max-age=003600",
        "max-age=\"3600\"",
        "max-age=99999999999999999999"
      })
  void maxAgeValuesThatStillMeanFresh(String cacheControl) throws Exception {
    assertThat(
            secondVerdict(
                "/products/odd", Answer.withHeaders(Map.of("Cache-Control", cacheControl), "x")))
        .isEqualTo("HIT after 1 origin request(s)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "max-age=a3600",
        "max-age='3600'",
        "max-age =3600",
        "extension=\"max-age=3600\", max-age=0"
      })
  void maxAgeValuesThatDoNotMakeItFresh(String cacheControl) throws Exception {
    assertThat(
            secondVerdict(
                "/products/odd", Answer.withHeaders(Map.of("Cache-Control", cacheControl), "x")))
        .isEqualTo("MISS after 2 origin request(s)");
  }

  @ParameterizedTest
  @ValueSource(ints = {302, 307})
  void aRedirectWithExplicitFreshnessIsStored(int status) throws Exception {
    Answer redirect =
        Answer.status(
            status, Map.of("Cache-Control", "max-age=60", "Location", "/products/new"), "");
    assertThat(secondVerdict("/products/moved", redirect))
        .isEqualTo("HIT after 1 origin request(s)");
    assertThat(client.get("/products/moved").statusCode()).isEqualTo(status);
  }

  @ParameterizedTest
  @ValueSource(ints = {299, 499, 599})
  void anUnknownStatusWithExplicitFreshnessIsStored(int status) throws Exception {
    // RFC 9111 3 asks a cache to understand only 206 and 304 (and must-understand answers).
    Answer odd = Answer.status(status, Map.of("Cache-Control", "max-age=60"), "odd");
    assertThat(secondVerdict("/products/odd-" + status, odd))
        .isEqualTo("HIT after 1 origin request(s)");
  }

  @Test
  void mustUnderstandStoresOnlyUnderstoodStatusesAndThenOutranksNoStore() throws Exception {
    Map<String, String> directives =
        Map.of("Cache-Control", "max-age=60, no-store, must-understand");

    assertThat(secondVerdict("/products/mu-200", Answer.status(200, directives, "x")))
        .isEqualTo("HIT after 1 origin request(s)");
    assertThat(secondVerdict("/products/mu-599", Answer.status(599, directives, "x")))
        .isEqualTo("MISS after 2 origin request(s)");
  }

  @Test
  void aRedirectWithoutFreshnessIsNot() throws Exception {
    Answer redirect = Answer.status(302, Map.of("Location", "/products/new"), "");
    assertThat(secondVerdict("/products/moved", redirect))
        .isEqualTo("MISS after 2 origin request(s)");
  }

  @Test
  void lastModifiedAloneGivesHeuristicFreshness() throws Exception {
    String tenDaysAgo = inSeconds(-10 * 86400);
    assertThat(
            secondVerdict(
                "/products/heuristic",
                Answer.withHeaders(Map.of("Last-Modified", tenDaysAgo), "x")))
        .isEqualTo("HIT after 1 origin request(s)");
  }

  @Test
  void publicMakesAnyStatusHeuristicallyCacheable() throws Exception {
    // RFC 9111 4.2.2: heuristics for the heuristically cacheable statuses and for responses
    // marked explicitly cacheable (cache-tests' heuristic-599-cached and -not_cached).
    String tenDaysAgo = inSeconds(-10 * 86400);
    Answer marked =
        Answer.status(599, Map.of("Last-Modified", tenDaysAgo, "Cache-Control", "public"), "x");
    Answer unmarked = Answer.status(599, Map.of("Last-Modified", tenDaysAgo), "x");

    assertThat(secondVerdict("/products/public-599", marked))
        .isEqualTo("HIT after 1 origin request(s)");
    assertThat(secondVerdict("/products/plain-599", unmarked))
        .isEqualTo("MISS after 2 origin request(s)");
  }

  @Test
  void aRequestsNoStoreIsNeitherStoredNorAnsweredFromStoreNorChangesIt() throws Exception {
    // RFC 9111 5.2.1.5: nothing of a no-store request or of its response may be stored.
    origin.answer("/products/secret", Answer.cacheable(60, "x"));
    HttpResponse<String> first = client.get("/products/secret", "Cache-Control", "no-store");
    HttpResponse<String> second = client.get("/products/secret");
    assertThat(xCache(first) + " " + xCache(second) + " " + origin.requests("/products/secret"))
        .isEqualTo("MISS MISS 2");

    // The stored copy stays for the others: the no-store request neither used nor removed it,
    // nor made the URL hit-for-pass.
    HttpResponse<String> again = client.get("/products/secret", "Cache-Control", "no-store");
    HttpResponse<String> others = client.get("/products/secret");
    assertThat(xCache(again) + " " + xCache(others) + " " + origin.requests("/products/secret"))
        .isEqualTo("MISS HIT 3");
  }

  @Test
  void cdnCacheControlOverridesCacheControl() throws Exception {
    Map<String, String> cdnOnly =
        Map.of("Cache-Control", "no-store", "CDN-Cache-Control", "max-age=60");
    Map<String, String> browsersOnly =
        Map.of("Cache-Control", "max-age=60", "CDN-Cache-Control", "no-store");

    assertThat(secondVerdict("/products/cdn", Answer.withHeaders(cdnOnly, "x")))
        .isEqualTo("HIT after 1 origin request(s)");
    assertThat(secondVerdict("/products/browser", Answer.withHeaders(browsersOnly, "x")))
        .isEqualTo("MISS after 2 origin request(s)");
  }

  @Test
  void surrogateControlAimedAtThisCacheOverridesCacheControlAndStaysHere() throws Exception {
    Map<String, String> ours =
        Map.of(
            "Cache-Control", "no-store",
            "Surrogate-Control", "max-age=60;edge-north, max-age=5;dc-cache");

    assertThat(secondVerdict("/products/surrogate", Answer.withHeaders(ours, "x")))
        .isEqualTo("HIT after 1 origin request(s)");
    assertThat(origin.lastHeaders().getFirst("Surrogate-Capability"))
        .isEqualTo("edge-north=\"Surrogate/1.0\"");
    // Only the directive for another cache is passed on.
    assertThat(client.get("/products/surrogate").headers().allValues("Surrogate-Control"))
        .containsExactly("max-age=5;dc-cache");
  }

  @Test
  void surrogateControlForAnotherCacheIsIgnoredAndUnaimedNoStoreWins() throws Exception {
    Map<String, String> elsewhere =
        Map.of("Cache-Control", "no-store", "Surrogate-Control", "max-age=60;not-for-you");
    Map<String, String> noStore =
        Map.of("Cache-Control", "max-age=10000", "Surrogate-Control", "no-store");

    assertThat(secondVerdict("/products/elsewhere", Answer.withHeaders(elsewhere, "x")))
        .isEqualTo("MISS after 2 origin request(s)");
    assertThat(secondVerdict("/products/surrogate-no-store", Answer.withHeaders(noStore, "x")))
        .isEqualTo("MISS after 2 origin request(s)");
    assertThat(client.get("/products/surrogate-no-store").headers().map())
        .doesNotContainKey("surrogate-control");
  }

  @Test
  void setCookieResponsesAreStoredButTheCookieGoesOnlyToTheClientThatCausedTheFetch()
      throws Exception {
    origin.answer(
        "/products/cookie",
        Answer.withHeaders(Map.of("Cache-Control", "max-age=60", "Set-Cookie", "s=1"), "page"));

    HttpResponse<String> miss = client.get("/products/cookie");
    HttpResponse<String> hit = client.get("/products/cookie");

    assertThat(miss.headers().firstValue("Set-Cookie")).hasValue("s=1");
    assertThat(xCache(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo("page");
    assertThat(hit.headers().firstValue("Set-Cookie")).isEmpty();
  }
}
