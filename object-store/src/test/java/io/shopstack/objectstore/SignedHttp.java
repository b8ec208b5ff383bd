package io.shopstack.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Plain HTTP requests signed by the AWS SDK's own SigV4 signer (not by the store's code, so a
 * shared mistake cannot make both sides agree), for tests that need to control every byte.
 */
final class SignedHttp {

  /**
   * The AWS SDK v2 as users configure it against the store on {@code port}: path style, our key.
   */
  static S3Client sdkClient(int port) {
    return sdkClient(port, settings -> {});
  }

  /** The same with {@code settings} (a user's own, such as its checksum behaviour) on top. */
  static S3Client sdkClient(int port, Consumer<S3ClientBuilder> settings) {
    S3ClientBuilder builder =
        S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .httpClient(UrlConnectionHttpClient.create());
    settings.accept(builder);
    return builder.build();
  }

  /** The key pair of object-store.yml's defaults, which the tests run with. */
  static final String ACCESS_KEY = "shop-stack";

  static final String SECRET_KEY = "shop-stack-secret-key";

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("host", "content-length", "expect", "connection");

  /** A signed request: its headers (Host included) and the body to send, possibly aws-chunked. */
  record Signed(URI uri, String method, Map<String, List<String>> headers, byte[] body) {

    HttpRequest.Builder toJdk() {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(20))
              .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(
          (name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
              values.forEach(value -> builder.header(name, value));
            }
          });
      return builder;
    }
  }

  private SignedHttp() {}

  static Signed sign(String method, URI uri, byte[] body, Map<String, String> headers) {
    return sign(method, uri, body, headers, SECRET_KEY, b -> {});
  }

  /**
   * Signs with the given secret; {@code tweak} sets further signer properties (clock, chunking,
   * presigning).
   */
  static Signed sign(
      String method,
      URI uri,
      byte[] body,
      Map<String, String> headers,
      String secret,
      Consumer<SignRequest.Builder<AwsCredentialsIdentity>> tweak) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    headers.forEach(request::putHeader);
    if (body.length > 0) {
      request.putHeader("Content-Length", String.valueOf(body.length));
    }
    var signed =
        AwsV4HttpSigner.create()
            .sign(
                r -> {
                  r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, secret))
                      .request(request.build())
                      .payload(ContentStreamProvider.fromByteArray(body))
                      .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                      .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                      .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                      .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                      .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true);
                  tweak.accept(r);
                });
    byte[] payload;
    try (InputStream in =
        signed
            .payload()
            .map(ContentStreamProvider::newStream)
            .orElse(InputStream.nullInputStream())) {
      payload = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new Signed(signed.request().getUri(), method, signed.request().headers(), payload);
  }

  /** A presigned URL for {@code method} on {@code uri}, valid {@code expiry} from {@code clock}. */
  static URI presign(String method, URI uri, Duration expiry, Clock clock) {
    return sign(
            method,
            uri,
            new byte[0],
            Map.of(),
            SECRET_KEY,
            r ->
                r.putProperty(
                        AwsV4HttpSigner.AUTH_LOCATION,
                        AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expiry)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                    .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock))
        .uri();
  }

  static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
