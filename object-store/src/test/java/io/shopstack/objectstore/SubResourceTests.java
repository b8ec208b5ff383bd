package io.shopstack.objectstore;

import static io.shopstack.objectstore.SignedHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code DELETE /bucket?cors} deleted the bucket and {@code GET /bucket?cors} listed it: every
 * sub-resource now gets S3's answer or 501, and the bucket and its objects survive all of them.
 */
@ObjectStoreTest
class SubResourceTests {

  private static final String[] CONFIGURATIONS = {
    "cors", "lifecycle", "policy", "tagging", "website", "encryption"
  };

  @LocalServerPort int port;

  @Test
  void bucketConfigurationsAreAbsentNotMisrouted() throws Exception {
    request("PUT", "/sub-resources");
    request("PUT", "/sub-resources/kept.txt", "still here");

    for (String name : CONFIGURATIONS) {
      HttpResponse<String> read = request("GET", "/sub-resources?" + name);
      assertThat(read.statusCode()).as(name).isEqualTo(404);
      assertThat(read.body())
          .as(name)
          .contains("<Code>", "<RequestId>")
          .doesNotContain("ListBucketResult");
      assertThat(request("DELETE", "/sub-resources?" + name).statusCode()).as(name).isEqualTo(204);
      HttpResponse<String> write = request("PUT", "/sub-resources?" + name, "<x/>");
      assertThat(write.statusCode()).as(name).isEqualTo(501);
      assertThat(write.body()).contains("<Code>NotImplemented</Code>");
    }
    assertThat(request("GET", "/sub-resources?cors").body())
        .contains("<Code>NoSuchCORSConfiguration</Code>");
    assertThat(request("GET", "/sub-resources?encryption").body())
        .contains("<Code>ServerSideEncryptionConfigurationNotFoundError</Code>");

    for (String other : new String[] {"logging", "replication", "notification", "object-lock"}) {
      assertThat(request("DELETE", "/sub-resources?" + other).statusCode())
          .as(other)
          .isEqualTo(501);
      assertThat(request("GET", "/sub-resources?" + other).statusCode()).as(other).isEqualTo(501);
    }
    for (String onObject : new String[] {"tagging", "retention", "legal-hold", "restore"}) {
      assertThat(request("DELETE", "/sub-resources/kept.txt?" + onObject).statusCode())
          .as(onObject)
          .isEqualTo(501);
      assertThat(request("PUT", "/sub-resources/kept.txt?" + onObject, "<x/>").statusCode())
          .as(onObject)
          .isEqualTo(501);
    }

    assertThat(request("GET", "/sub-resources/kept.txt").body()).isEqualTo("still here");
    assertThat(request("GET", "/sub-resources?list-type=2").body()).contains("<Key>kept.txt</Key>");
    assertThat(request("GET", "/no-such-bucket-here?cors").body())
        .contains("<Code>NoSuchBucket</Code>");
  }

  @Test
  void neverVersionedBucketsSayTheirVersioningIsEmpty() throws Exception {
    request("PUT", "/sub-versioning");
    HttpResponse<String> versioning = request("GET", "/sub-versioning?versioning");
    assertThat(versioning.statusCode()).isEqualTo(200);
    assertThat(versioning.body()).contains("VersioningConfiguration").doesNotContain("Status");
  }

  /**
   * Spring MVC's reflected-file-download guard added {@code Content-Disposition:
   * inline;filename=f.txt} to XML answers on keys with an extension it does not know; S3 sends
   * none, but returns the one an object was stored with.
   */
  @Test
  void xmlAnswersCarryNoDownloadDisposition() throws Exception {
    request("PUT", "/sub-disposition");
    request("PUT", "/sub-disposition/notes.bin", "68");
    for (String path :
        new String[] {
          "/sub-disposition/notes.bin?tagging", // GetObjectTagging
          "/sub-disposition/missing.bin", // 404 NoSuchKey
          "/sub-disposition/notes.bin?acl", // 501 NotImplemented
          "/sub-disposition/missing.exe?tagging"
        }) {
      HttpResponse<String> answer = request("GET", path);
      assertThat(answer.body()).as(path).startsWith("<?xml");
      assertThat(answer.headers().allValues("Content-Disposition")).as(path).isEmpty();
    }
    send(
        SignedHttp.sign(
                "PUT",
                URI.create("http://127.0.0.1:" + port + "/sub-disposition/report.bin"),
                "68".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Content-Disposition", "inline;filename=f.txt"))
            .toJdk());
    assertThat(
            request("GET", "/sub-disposition/report.bin")
                .headers()
                .allValues("Content-Disposition"))
        .containsExactly("inline;filename=f.txt");
    assertThat(request("GET", "/sub-disposition/notes.bin").headers().map())
        .doesNotContainKey("content-disposition");
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    return request(method, path, "");
  }

  private HttpResponse<String> request(String method, String path, String body) throws Exception {
    return send(
        SignedHttp.sign(
                method,
                URI.create("http://127.0.0.1:" + port + path),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of())
            .toJdk());
  }
}
