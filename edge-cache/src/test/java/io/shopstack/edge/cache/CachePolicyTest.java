package io.shopstack.edge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.shopstack.edge.origin.OriginResponse;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** RFC 9111's storage and age rules, on plain values. */
class CachePolicyTest {
  private final CachePolicy policy = new CachePolicy(100, "edge-test");
  private static final long NOW = 1_700_000_000_000L;

  private static OriginResponse response(int status, String... headers) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return new OriginResponse(HttpResponseStatus.valueOf(status), h, new byte[10], NOW - 200, NOW);
  }

  private static HttpHeaders request(String... headers) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return h;
  }

  @Test
  void storesExplicitlyFreshSharedResponses() {
    assertThat(policy.verdict(request(), response(200, "Cache-Control", "max-age=5")).store())
        .isTrue();
    assertThat(policy.verdict(request(), response(404, "Cache-Control", "s-maxage=5")).store())
        .isTrue();
  }

  @Test
  void refusesWhatASharedCacheMustNotStoreAndSaysWhy() {
    assertThat(policy.verdict(request(), response(206, "Cache-Control", "max-age=5")).reason())
        .isEqualTo("status 206");
    assertThat(
            policy
                .verdict(request(), response(200, "Cache-Control", "max-age=5", "Vary", "*"))
                .reason())
        .isEqualTo("Vary: *");
    assertThat(
            policy
                .verdict(
                    request("Authorization", "Bearer x"),
                    response(200, "Cache-Control", "max-age=5"))
                .reason())
        .isEqualTo("request carried Authorization");
    assertThat(
            policy.verdict(request(), response(200, "Cache-Control", "max-age=\"oops\"")).store())
        .isFalse();
  }

  @Test
  void initialAgeIsTheLargerOfApparentAgeAndCorrectedAgeHeader() {
    String tenSecondsAgo = DateFormatter.format(new Date(NOW - 10_000));
    CacheEntry byDate =
        policy.entry(
            request(), response(200, "Cache-Control", "max-age=60", "Date", tenSecondsAgo));
    CacheEntry byAge =
        policy.entry(
            request(),
            response(200, "Cache-Control", "max-age=60", "Date", tenSecondsAgo, "Age", "30"));

    assertThat(byDate.ageSeconds(NOW)).isEqualTo(10);
    assertThat(byAge.ageSeconds(NOW)).isEqualTo(30); // 30 s + 200 ms response delay
    assertThat(byAge.ageSeconds(NOW + 5_000)).isEqualTo(35);
    assertThat(byAge.isFresh(NOW + 29_000)).isTrue();
    assertThat(byAge.isFresh(NOW + 30_000)).isFalse();
  }

  @Test
  void varySelectsTheEntryByTheRequestsHeaderValues() {
    CacheEntry gzip =
        policy.entry(
            request("Accept-Encoding", "gzip"),
            response(200, "Cache-Control", "max-age=60", "Vary", "Accept-Encoding"));

    assertThat(CachePolicy.matchesVary(gzip, request("accept-encoding", "gzip"))).isTrue();
    assertThat(CachePolicy.matchesVary(gzip, request("Accept-Encoding", "br"))).isFalse();
    assertThat(CachePolicy.matchesVary(gzip, request())).isFalse();
  }
}
