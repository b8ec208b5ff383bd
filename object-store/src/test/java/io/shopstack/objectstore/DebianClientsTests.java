package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.ExternalCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The clients users have: Debian 12's python3-boto3 (botocore 1.29, which needs {@code 100
 * Continue} with its reason phrase) and s3cmd 2.3, run as processes against the store.
 */
@ObjectStoreTest
class DebianClientsTests {

  private static final Duration LIMIT = Duration.ofSeconds(60);

  @LocalServerPort int port;

  @Test
  void debianBoto3UploadsDownloadsAndIsRefusedWithTheWrongSecret() {
    String script =
        """
        import sys, boto3, botocore
        from botocore.config import Config
        def client(secret):
            return boto3.client('s3', endpoint_url='http://127.0.0.1:%s', region_name='us-east-1',
                aws_access_key_id='%s', aws_secret_access_key=secret,
                config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
        s3 = client('%s')
        s3.create_bucket(Bucket='debian-boto3')
        s3.put_object(Bucket='debian-boto3', Key='course/1001.txt', Body=b'68 yuan',
                      ContentType='text/plain')
        print(s3.get_object(Bucket='debian-boto3', Key='course/1001.txt')['Body'].read().decode())
        try:
            client('wrong').put_object(Bucket='debian-boto3', Key='evil', Body=b'x')
            print('WRONG SECRET ACCEPTED')
        except botocore.exceptions.ClientError as e:
            print('refused', e.response['Error']['Code'])
        import io, os, hashlib
        big = os.urandom(9 * 1024 * 1024)  # above boto3's 8 MiB threshold: a multipart upload
        s3.upload_fileobj(io.BytesIO(big), 'debian-boto3', 'course/video.bin')
        back = s3.get_object(Bucket='debian-boto3', Key='course/video.bin')
        same = back['Body'].read() == big
        print('multipart', same, back['ETag'])
        print(botocore.__version__)
        """
            .formatted(port, SignedHttp.ACCESS_KEY, SignedHttp.SECRET_KEY);
    ExternalCommand.Result result =
        ExternalCommand.run(LIMIT, "/usr/bin/python3", "-c", script).assertSuccess();
    assertThat(result.output())
        .contains("68 yuan", "refused SignatureDoesNotMatch", "1.29.")
        .containsPattern("multipart True \"[0-9a-f]{32}-2\"");
  }

  @Test
  void s3cmdPutsGetsListsAndDeletes(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("s3cfg");
    Files.writeString(
        config,
        """
        [default]
        access_key = %s
        secret_key = %s
        host_base = 127.0.0.1:%d
        host_bucket = 127.0.0.1:%d
        use_https = False
        signature_v2 = False
        bucket_location = us-east-1
        """
            .formatted(SignedHttp.ACCESS_KEY, SignedHttp.SECRET_KEY, port, port));
    Path file = dir.resolve("cover.txt");
    Files.writeString(file, "趣谈网络协议 cover");
    s3cmd(config, "mb", "s3://debian-s3cmd");
    s3cmd(config, "put", file.toString(), "s3://debian-s3cmd/covers/cover.txt");
    assertThat(s3cmd(config, "ls", "s3://debian-s3cmd/covers/").output()).contains("cover.txt");
    Path back = dir.resolve("back.txt");
    s3cmd(config, "get", "s3://debian-s3cmd/covers/cover.txt", back.toString());
    assertThat(Files.readString(back, StandardCharsets.UTF_8)).isEqualTo("趣谈网络协议 cover");
    Path big = dir.resolve("big.bin");
    byte[] content = new byte[20 * 1024 * 1024]; // s3cmd splits above 15 MiB: multipart
    new java.util.Random(7).nextBytes(content);
    Files.write(big, content);
    s3cmd(config, "put", big.toString(), "s3://debian-s3cmd/covers/big.bin");
    Path bigBack = dir.resolve("big-back.bin");
    s3cmd(config, "get", "s3://debian-s3cmd/covers/big.bin", bigBack.toString());
    assertThat(Files.readAllBytes(bigBack)).isEqualTo(content);
    // server-side copy and move (CopyObject), then a recursive delete (DeleteObjects)
    s3cmd(config, "cp", "s3://debian-s3cmd/covers/cover.txt", "s3://debian-s3cmd/copies/cover.txt");
    s3cmd(config, "mv", "s3://debian-s3cmd/covers/big.bin", "s3://debian-s3cmd/copies/big.bin");
    Path moved = dir.resolve("moved.bin");
    s3cmd(config, "get", "s3://debian-s3cmd/copies/big.bin", moved.toString());
    assertThat(Files.readAllBytes(moved)).isEqualTo(content);
    Path copied = dir.resolve("copied.txt");
    s3cmd(config, "get", "s3://debian-s3cmd/copies/cover.txt", copied.toString());
    assertThat(Files.readString(copied, StandardCharsets.UTF_8)).isEqualTo("趣谈网络协议 cover");
    s3cmd(config, "del", "--recursive", "--force", "s3://debian-s3cmd/");
    assertThat(s3cmd(config, "ls", "--recursive", "s3://debian-s3cmd/").output()).isBlank();
  }

  @Test
  void signatureVersion2PresignedUrlsOfBoto3AndS3cmdWorkUntilTheyExpire(@TempDir Path dir)
      throws Exception {
    // Debian's boto3 1.26 presigns with SigV2 unless told otherwise, s3cmd 2.3's signurl always
    // does: links handed to someone without the key, who cannot sign them again.
    String script =
        """
        import boto3, time
        s3 = boto3.client('s3', endpoint_url='http://127.0.0.1:%s', region_name='us-east-1',
            aws_access_key_id='%s', aws_secret_access_key='%s')
        s3.create_bucket(Bucket='debian-presign')
        s3.put_object(Bucket='debian-presign', Key='course/1001 price.txt', Body=b'68 yuan')
        print(s3.generate_presigned_url('get_object', ExpiresIn=300,
            Params={'Bucket': 'debian-presign', 'Key': 'course/1001 price.txt',
                    'ResponseContentDisposition': 'attachment; filename="price.txt"'}))
        print(s3.generate_presigned_url('put_object', ExpiresIn=300,
            Params={'Bucket': 'debian-presign', 'Key': 'course/upload.txt'}))
        print(s3.generate_presigned_url('get_object', ExpiresIn=300,
            Params={'Bucket': 'debian-presign', 'Key': 'course/other.txt'}))
        print(s3.generate_presigned_url('get_object', ExpiresIn=1,
            Params={'Bucket': 'debian-presign', 'Key': 'course/1001 price.txt'}))
        """
            .formatted(port, SignedHttp.ACCESS_KEY, SignedHttp.SECRET_KEY);
    List<String> urls =
        ExternalCommand.run(LIMIT, "/usr/bin/python3", "-c", script)
            .assertSuccess()
            .output()
            .lines()
            .filter(line -> line.startsWith("http"))
            .toList();
    assertThat(urls).hasSize(4).allMatch(url -> url.contains("AWSAccessKeyId="));
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(0))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("68 yuan");
    assertThat(get.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"price.txt\"");

    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(1)))
                .PUT(HttpRequest.BodyPublishers.ofString("uploaded"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);

    // A link signed for one key does not open another, and an expired one opens nothing.
    String otherKey = urls.get(2).replace("other.txt", "upload.txt");
    HttpResponse<String> tampered =
        http.send(
            HttpRequest.newBuilder(URI.create(otherKey)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(tampered.statusCode()).isEqualTo(403);
    assertThat(tampered.body()).contains("<Code>SignatureDoesNotMatch</Code>");
    Thread.sleep(2_100);
    HttpResponse<String> expired =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(3))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(expired.body()).contains("<Code>AccessDenied</Code>", "Request has expired");

    Path config = dir.resolve("s3cfg");
    Files.writeString(
        config,
        """
        [default]
        access_key = %s
        secret_key = %s
        host_base = 127.0.0.1:%d
        host_bucket = 127.0.0.1:%d
        use_https = False
        signature_v2 = False
        """
            .formatted(SignedHttp.ACCESS_KEY, SignedHttp.SECRET_KEY, port, port));
    String signed =
        s3cmd(config, "signurl", "s3://debian-presign/course/upload.txt", "+300").output().trim();
    HttpResponse<String> s3cmdGet =
        http.send(
            HttpRequest.newBuilder(URI.create(signed)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(s3cmdGet.statusCode()).isEqualTo(200);
    assertThat(s3cmdGet.body()).isEqualTo("uploaded");
  }

  private static ExternalCommand.Result s3cmd(Path config, String... arguments) {
    List<String> command = new java.util.ArrayList<>(List.of("s3cmd", "-c", config.toString()));
    command.addAll(List.of(arguments));
    return ExternalCommand.run(LIMIT, command).assertSuccess();
  }
}
