package io.shopstack.objectstore;

import static io.shopstack.objectstore.SignedHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Corners the issue found wrong from outside: conditional writes were ignored, ListObjectsV2 with
 * max-keys=0 answered 500, V1 said IsTruncated=true, and encoding-type=url encoded '/'.
 */
@ObjectStoreTest
class ConditionalWriteAndListingTests {

  @LocalServerPort int port;

  @Test
  void conditionalPutsAndDeletesAnswer412() throws Exception {
    request("PUT", "/conditional", "", Map.of());
    HttpResponse<String> first = request("PUT", "/conditional/order.json", "v1", Map.of());
    String etag = first.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> createOnly =
        request("PUT", "/conditional/order.json", "v2", Map.of("If-None-Match", "*"));
    assertThat(createOnly.statusCode()).isEqualTo(412);
    assertThat(createOnly.body()).contains("<Code>PreconditionFailed</Code>");
    assertThat(
            request("PUT", "/conditional/new.json", "n", Map.of("If-None-Match", "*")).statusCode())
        .isEqualTo(200);

    assertThat(
            request("PUT", "/conditional/order.json", "v2", Map.of("If-Match", "\"0000\""))
                .statusCode())
        .isEqualTo(412);
    assertThat(
            request("DELETE", "/conditional/order.json", "", Map.of("If-Match", "\"0000\""))
                .statusCode())
        .isEqualTo(412);
    assertThat(request("GET", "/conditional/order.json", "", Map.of()).body()).isEqualTo("v1");

    assertThat(
            request("PUT", "/conditional/order.json", "v2", Map.of("If-Match", etag)).statusCode())
        .isEqualTo(200);
    assertThat(request("GET", "/conditional/order.json", "", Map.of()).body()).isEqualTo("v2");
  }

  @Test
  void maxKeysZeroIsAnEmptyUntruncatedPageAndSlashesStayUnencoded() throws Exception {
    request("PUT", "/listing-corners", "", Map.of());
    request("PUT", "/listing-corners/a/b%20c.txt", "x", Map.of());

    HttpResponse<String> v2 =
        request("GET", "/listing-corners?list-type=2&max-keys=0", "", Map.of());
    assertThat(v2.statusCode()).isEqualTo(200);
    assertThat(v2.body()).contains("<KeyCount>0</KeyCount>", "<IsTruncated>false</IsTruncated>");
    HttpResponse<String> v1 = request("GET", "/listing-corners?max-keys=0", "", Map.of());
    assertThat(v1.body()).contains("<IsTruncated>false</IsTruncated>").doesNotContain("<Contents>");

    HttpResponse<String> encoded =
        request("GET", "/listing-corners?list-type=2&encoding-type=url", "", Map.of());
    assertThat(encoded.body()).contains("<Key>a/b%20c.txt</Key>");
  }

  @Test
  void listingsNameTheOwnerAsS3DoesV1AlwaysV2WhenAskedForIt() throws Exception {
    request("PUT", "/listing-owners", "", Map.of());
    request("PUT", "/listing-owners/k.txt", "x", Map.of());
    String owner = "<StorageClass>STANDARD</StorageClass><Owner><ID>"; // the instance's name

    assertThat(request("GET", "/listing-owners", "", Map.of()).body()).contains(owner);
    assertThat(request("GET", "/listing-owners?list-type=2", "", Map.of()).body())
        .contains("<Key>k.txt</Key>")
        .doesNotContain("<Owner>");
    assertThat(request("GET", "/listing-owners?fetch-owner=true&list-type=2", "", Map.of()).body())
        .contains(owner);
  }

  private HttpResponse<String> request(
      String method, String path, String body, Map<String, String> headers) throws Exception {
    return send(
        SignedHttp.sign(
                method,
                URI.create("http://127.0.0.1:" + port + path),
                body.getBytes(StandardCharsets.UTF_8),
                headers)
            .toJdk());
  }
}
