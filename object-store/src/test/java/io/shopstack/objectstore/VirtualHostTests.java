package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Virtual-host-style addressing ({@code <bucket>.s3.test}, the test's configured domain) with the
 * AWS SDK's defaults: path style off, so it signs {@code Host: <bucket>.s3.test:port} and paths
 * without the bucket. The names need no DNS: the client reaches the store as its HTTP proxy, which
 * keeps the Host and the signature exactly as with a real name.
 */
@ObjectStoreTest
class VirtualHostTests {

  @LocalServerPort int port;

  @Test
  void theSdkWithPathStyleOffDoesEveryDayOperations() throws Exception {
    try (S3Client s3 = virtualHostClient()) {
      s3.createBucket(b -> b.bucket("vhost-tests"));
      s3.putObject(
          b -> b.bucket("vhost-tests").key("dir/深 photo.png").contentType("image/png"),
          RequestBody.fromString("virtual"));

      assertThat(
              s3.getObjectAsBytes(b -> b.bucket("vhost-tests").key("dir/深 photo.png"))
                  .asUtf8String())
          .isEqualTo("virtual");
      assertThat(s3.headObject(b -> b.bucket("vhost-tests").key("dir/深 photo.png")).contentType())
          .isEqualTo("image/png");
      assertThat(s3.listObjectsV2(b -> b.bucket("vhost-tests").prefix("dir/")).contents())
          .extracting(S3Object::key)
          .containsExactly("dir/深 photo.png");
      s3.copyObject(
          b ->
              b.sourceBucket("vhost-tests")
                  .sourceKey("dir/深 photo.png")
                  .destinationBucket("vhost-tests")
                  .destinationKey("copy.png"));
      s3.deleteObject(b -> b.bucket("vhost-tests").key("dir/深 photo.png"));
      assertThat(s3.listObjectsV2(b -> b.bucket("vhost-tests")).contents())
          .extracting(S3Object::key)
          .containsExactly("copy.png");
    }
    // the same objects path-style: one store, two ways to address it
    try (S3Client pathStyle = SignedHttp.sdkClient(port)) {
      assertThat(
              pathStyle
                  .getObjectAsBytes(b -> b.bucket("vhost-tests").key("copy.png"))
                  .asUtf8String())
          .isEqualTo("virtual");
    }
  }

  @Test
  void presignedVirtualHostUrlsAndUnsignedPublicReadsWork() throws Exception {
    try (S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(URI.create("http://s3.test:" + port))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(false).build())
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials())
            .build()) {
      URI url =
          presigner
              .presignGetObject(
                  b ->
                      b.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("images").key("course-1001.png")))
              .url()
              .toURI();
      assertThat(url.getHost()).isEqualTo("images.s3.test");
      assertThat(fetch(url).getResponseCode()).isEqualTo(200);
    }
    // the CDN edges' kind of request (unsigned, public-read bucket), by virtual host
    HttpURLConnection anonymous =
        fetch(URI.create("http://images.s3.test:" + port + "/course-1001.png"));
    assertThat(anonymous.getResponseCode()).isEqualTo(200);
    assertThat(anonymous.getContentType()).isEqualTo("image/png");
    assertThat(anonymous.getHeaderField("Last-Modified")).isNotNull();
  }

  private HttpURLConnection fetch(URI url) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection(viaStore());
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(10_000);
    return connection;
  }

  private S3Client virtualHostClient() {
    return S3Client.builder()
        .endpointOverride(URI.create("http://s3.test:" + port))
        .forcePathStyle(false)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClient(
            UrlConnectionHttpClient.create(
                uri -> {
                  try {
                    return (HttpURLConnection) uri.toURL().openConnection(viaStore());
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }))
        .build();
  }

  /** The store itself as the HTTP proxy: absolute-form requests, no name resolution. */
  private Proxy viaStore() {
    return new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", port));
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(SignedHttp.ACCESS_KEY, SignedHttp.SECRET_KEY));
  }
}
