package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.common.testing.ExternalCommand;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Debian 12's {@code aws} (awscli 2.9, the apt package, not a pip one) as a process against the
 * store, doing what users do with it: {@code s3 cp} above its 8 MiB multipart threshold, {@code s3
 * mv} between keys (a multipart copy: UploadPartCopy, with GetObjectTagging first), {@code s3
 * sync}, {@code s3api copy-object} and {@code delete-objects}, {@code s3 rm --recursive}; every
 * object that lands is compared byte for byte. And a 100 MiB round trip checked by MD5, and {@code
 * s3api list-multipart-uploads --prefix --delimiter /}, and {@code s3 cp --checksum-algorithm
 * CRC32} of a multipart-sized file, whose composite checksum {@code head-object --checksum-mode}
 * shows, and S3's refusal of an {@code upload-part} without that upload's checksum.
 */
@ObjectStoreTest
class DebianAwsCliTests {

  /** The apt package's path: a pip-installed aws elsewhere on the PATH is another client. */
  private static final String AWS = "/usr/bin/aws";

  private static final Duration LIMIT = Duration.ofSeconds(90);

  @LocalServerPort int port;

  @TempDir Path dir;

  @Test
  void copiesMovesSyncsAndRemovesWhatTheCliSends() throws Exception {
    assertThat(aws("--version").output()).contains("aws-cli/2.", "debian");
    aws("s3", "mb", "s3://aws-cli");
    Path big = write("big.bin", 9 * 1024 * 1024 + 17, 1); // above 8 MiB: a multipart upload
    aws("s3", "cp", big.toString(), "s3://aws-cli/video/big.bin");
    assertThat(download("s3://aws-cli/video/big.bin")).hasSameBinaryContentAs(big);
    assertThat(
            aws("s3api", "head-object", "--bucket", "aws-cli", "--key", "video/big.bin").output())
        .containsPattern("\"ETag\": \"\\\\\"[0-9a-f]{32}-2\\\\\"\"");
    // `--part-number` (one request per part, as parallel downloads fetch): 501 before
    Path secondPart = dir.resolve("part-2.bin");
    assertThat(
            aws(
                    "s3api",
                    "get-object",
                    "--bucket",
                    "aws-cli",
                    "--key",
                    "video/big.bin",
                    "--part-number",
                    "2",
                    secondPart.toString())
                .output())
        .contains("\"PartsCount\": 2", "\"ContentLength\": 1048593")
        .contains("\"ContentRange\": \"bytes 8388608-9437200/9437201\"");
    assertThat(Files.size(secondPart)).isEqualTo(1_048_593);
    // `--checksum-algorithm` kept and given back to `--checksum-mode ENABLED` (dropped before)
    Path summed = write("summed.bin", 100_000, 3);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(Files.readAllBytes(summed));
    String crc32 =
        java.util.Base64.getEncoder()
            .encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    aws(
        "s3api",
        "put-object",
        "--bucket",
        "aws-cli",
        "--key",
        "summed.bin",
        "--body",
        summed.toString(),
        "--checksum-algorithm",
        "CRC32");
    assertThat(
            aws(
                    "s3api",
                    "get-object",
                    "--bucket",
                    "aws-cli",
                    "--key",
                    "summed.bin",
                    "--checksum-mode",
                    "ENABLED",
                    dir.resolve("summed-back.bin").toString())
                .output())
        .contains("\"ChecksumCRC32\": \"" + crc32 + "\"");
    assertThat(dir.resolve("summed-back.bin")).hasSameBinaryContentAs(summed);

    aws("s3", "mv", "s3://aws-cli/video/big.bin", "s3://aws-cli/video/moved.bin");
    assertThat(download("s3://aws-cli/video/moved.bin")).hasSameBinaryContentAs(big);
    assertThat(aws("s3", "ls", "s3://aws-cli/video/").output())
        .contains("moved.bin")
        .doesNotContain("big.bin");
    assertThat(
            aws("s3api", "head-object", "--bucket", "aws-cli", "--key", "video/moved.bin").output())
        .as("copied in two parts by UploadPartCopy, not by one CopyObject")
        .containsPattern("\"ETag\": \"\\\\\"[0-9a-f]{32}-2\\\\\"\"");
    assertThat(aws("s3api", "list-object-versions", "--bucket", "aws-cli").output())
        .contains("\"Key\": \"video/moved.bin\"", "\"VersionId\": \"null\"");

    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("covers"));
    Files.writeString(tree.resolve("index.html"), "<h1>趣谈网络协议</h1>");
    write("tree/covers/1001.png", 70_000, 2);
    aws("s3", "sync", tree.toString(), "s3://aws-cli/site");
    assertThat(download("s3://aws-cli/site/covers/1001.png"))
        .hasSameBinaryContentAs(tree.resolve("covers/1001.png"));
    assertThat(aws("s3", "sync", tree.toString(), "s3://aws-cli/site").output())
        .as("a second sync finds everything in place")
        .doesNotContain("upload:");

    aws(
        "s3api",
        "copy-object",
        "--bucket",
        "aws-cli",
        "--key",
        "site/index-copy.html",
        "--copy-source",
        "aws-cli/site/index.html",
        "--metadata-directive",
        "REPLACE",
        "--content-type",
        "text/html; charset=utf-8",
        "--metadata",
        "course=1001");
    assertThat(
            aws("s3api", "head-object", "--bucket", "aws-cli", "--key", "site/index-copy.html")
                .output())
        .contains("\"ContentType\": \"text/html; charset=utf-8\"", "\"course\": \"1001\"");
    assertThat(download("s3://aws-cli/site/index-copy.html"))
        .hasSameBinaryContentAs(tree.resolve("index.html"));

    assertThat(
            aws(
                    "s3api",
                    "delete-objects",
                    "--bucket",
                    "aws-cli",
                    "--delete",
                    "{\"Objects\":[{\"Key\":\"site/index-copy.html\"},{\"Key\":\"nothing\"}]}")
                .output())
        .contains("site/index-copy.html", "nothing")
        .doesNotContain("Errors");

    aws("s3", "rm", "--recursive", "s3://aws-cli/");
    assertThat(aws("s3", "ls", "--recursive", "s3://aws-cli/").output()).isBlank();
  }

  @Test
  void listsUploadsUnderAPrefixByDelimiter() {
    aws("s3", "mb", "s3://aws-cli-uploads");
    for (String key :
        List.of(
            "photos/2006/jan/a.jpg",
            "photos/2006/feb/b.jpg",
            "photos/2006/index.html",
            "photos/2007/d.jpg",
            "videos/v.mp4")) {
      aws("s3api", "create-multipart-upload", "--bucket", "aws-cli-uploads", "--key", key);
    }
    // at once, and in pages of one that the CLI follows by NextKeyMarker (prefix pages included)
    for (String pageSize : List.of("1000", "1")) {
      assertThat(
              aws(
                      "s3api",
                      "list-multipart-uploads",
                      "--bucket",
                      "aws-cli-uploads",
                      "--prefix",
                      "photos/2006/",
                      "--delimiter",
                      "/",
                      "--page-size",
                      pageSize)
                  .output())
          .contains("\"Key\": \"photos/2006/index.html\"")
          .contains("\"Prefix\": \"photos/2006/feb/\"", "\"Prefix\": \"photos/2006/jan/\"")
          .doesNotContain("jan/a.jpg", "feb/b.jpg", "photos/2007", "videos");
    }
  }

  /** Creates a multipart upload with CRC32 part checksums through s3api; its upload ID. */
  private String crc32Upload(String bucket, String key) throws Exception {
    return field(
        aws(
                "s3api",
                "create-multipart-upload",
                "--bucket",
                bucket,
                "--key",
                key,
                "--checksum-algorithm",
                "CRC32")
            .output(),
        "UploadId");
  }

  @Test
  void anUploadInPartsWithCrc32KeepsTheCompositeOfItsParts() throws Exception {
    // this aws's `s3 cp` has no --checksum-algorithm (2.9); its s3api multipart calls do
    aws("s3", "mb", "s3://aws-cli-sums");
    Path first = write("part-1.bin", 5 * 1024 * 1024, 5);
    Path second = write("part-2.bin", 70_001, 6);
    String id = crc32Upload("aws-cli-sums", "sums.bin");
    StringBuilder parts = new StringBuilder();
    int number = 0;
    for (Path part : List.of(first, second)) {
      number++;
      String answer =
          aws(
                  "s3api",
                  "upload-part",
                  "--bucket",
                  "aws-cli-sums",
                  "--key",
                  "sums.bin",
                  "--upload-id",
                  id,
                  "--part-number",
                  String.valueOf(number),
                  "--body",
                  part.toString(),
                  "--checksum-algorithm",
                  "CRC32")
              .output();
      assertThat(field(answer, "ChecksumCRC32")).isEqualTo(crc32(Files.readAllBytes(part)));
      parts
          .append(parts.isEmpty() ? "" : ",")
          .append("{\"PartNumber\":")
          .append(number)
          .append(",\"ETag\":\"")
          .append(field(answer, "ETag")) // as printed: a JSON string with its quotes escaped
          .append("\",\"ChecksumCRC32\":\"")
          .append(field(answer, "ChecksumCRC32"))
          .append("\"}");
    }
    assertThat(
            aws(
                    "s3api",
                    "list-parts",
                    "--bucket",
                    "aws-cli-sums",
                    "--key",
                    "sums.bin",
                    "--upload-id",
                    id)
                .output())
        .contains("\"ChecksumCRC32\": \"" + crc32(Files.readAllBytes(second)) + "\"");
    Path document = dir.resolve("parts.json");
    Files.writeString(document, "{\"Parts\":[" + parts + "]}");
    aws(
        "s3api",
        "complete-multipart-upload",
        "--bucket",
        "aws-cli-sums",
        "--key",
        "sums.bin",
        "--upload-id",
        id,
        "--multipart-upload",
        "file://" + document);

    ByteBuffer partSums = ByteBuffer.allocate(8);
    partSums
        .put(Base64.getDecoder().decode(crc32(Files.readAllBytes(first))))
        .put(Base64.getDecoder().decode(crc32(Files.readAllBytes(second))));
    String composite = crc32(partSums.array()) + "-2";
    assertThat(
            aws(
                    "s3api",
                    "head-object",
                    "--bucket",
                    "aws-cli-sums",
                    "--key",
                    "sums.bin",
                    "--checksum-mode",
                    "ENABLED")
                .output())
        .contains("\"ChecksumCRC32\": \"" + composite + "\"");
    Path back = download("s3://aws-cli-sums/sums.bin");
    assertThat(Files.size(back)).isEqualTo(5 * 1024 * 1024 + 70_001);
  }

  /**
   * This aws (botocore 1.29) sends a part without a checksum unless told {@code
   * --checksum-algorithm}, only Content-MD5: into an upload created with CRC32, S3 refuses it with
   * 400 InvalidRequest and its "actual checksum Type: null" wording, and so does the store; the
   * same part with {@code --checksum-algorithm CRC32} is taken.
   */
  @Test
  void aPartWithoutTheUploadsChecksumIsRefusedAsS3RefusesIt() throws Exception {
    aws("s3", "mb", "s3://aws-cli-sum-none");
    Path part = write("part-none.bin", 70_001, 7);
    String id = crc32Upload("aws-cli-sum-none", "k");
    List<String> uploadPart =
        List.of(
            "s3api",
            "upload-part",
            "--bucket",
            "aws-cli-sum-none",
            "--key",
            "k",
            "--upload-id",
            id,
            "--part-number",
            "1",
            "--body",
            part.toString());

    ExternalCommand.Result refused =
        ExternalCommand.run(
            LIMIT, command(SignedHttp.SECRET_KEY, uploadPart.toArray(String[]::new)));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.errors())
        .contains(
            "(InvalidRequest)",
            "Checksum Type mismatch occurred, expected checksum Type: crc32,"
                + " actual checksum Type: null");

    List<String> withChecksum = new ArrayList<>(uploadPart);
    withChecksum.addAll(List.of("--checksum-algorithm", "CRC32"));
    assertThat(field(aws(withChecksum.toArray(String[]::new)).output(), "ChecksumCRC32"))
        .isEqualTo(crc32(Files.readAllBytes(part)));
    aws(
        "s3api",
        "abort-multipart-upload",
        "--bucket",
        "aws-cli-sum-none",
        "--key",
        "k",
        "--upload-id",
        id);
  }

  @Test
  void wrongSecretIsRefused() {
    aws("s3", "mb", "s3://aws-cli-refusal");
    ExternalCommand.Result refused =
        ExternalCommand.run(
            LIMIT,
            command(
                "wrong-secret",
                "s3api",
                "put-object",
                "--bucket",
                "aws-cli-refusal",
                "--key",
                "evil"));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.errors()).contains("SignatureDoesNotMatch");
    assertThat(aws("s3", "ls", "s3://aws-cli-refusal/").output()).isBlank();
  }

  @Test
  void aHundredMebibytesGoUpAndComeBackWithTheSameMd5() throws Exception {
    aws("s3", "mb", "s3://aws-cli-large");
    Path large = write("large.bin", 100 * 1024 * 1024, 3);
    Duration bound = Duration.ofSeconds(240);
    run(bound, "s3", "cp", large.toString(), "s3://aws-cli-large/course/full.mp4");
    Path back = dir.resolve("large-back.bin");
    run(bound, "s3", "cp", "s3://aws-cli-large/course/full.mp4", back.toString());
    assertThat(md5(back)).isEqualTo(md5(large));
    aws("s3", "rm", "s3://aws-cli-large/course/full.mp4");
  }

  private Path download(String uri) {
    Path target = dir.resolve("download-" + System.nanoTime());
    aws("s3", "cp", uri, target.toString());
    return target;
  }

  private Path write(String name, int size, long seed) throws Exception {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  private ExternalCommand.Result aws(String... arguments) {
    return run(LIMIT, arguments);
  }

  private ExternalCommand.Result run(Duration limit, String... arguments) {
    return ExternalCommand.run(limit, command(SignedHttp.SECRET_KEY, arguments)).assertSuccess();
  }

  /**
   * Only what the command line and the environment say: no ~/.aws of whoever runs the tests, no
   * instance metadata lookups, path-style addressing, one attempt so a refusal is not retried.
   */
  private List<String> command(String secret, String... arguments) {
    Path config = dir.resolve("aws-config");
    try {
      Files.writeString(
          config,
          """
          [default]
          region = us-east-1
          max_attempts = 1
          s3 =
            addressing_style = path
          """);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/bin/env",
                "AWS_CONFIG_FILE=" + config,
                "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
                "AWS_ACCESS_KEY_ID=" + SignedHttp.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY=" + secret,
                "AWS_EC2_METADATA_DISABLED=true",
                "AWS_PAGER=",
                AWS,
                "--endpoint-url",
                "http://127.0.0.1:" + port));
    command.addAll(List.of(arguments));
    return command;
  }

  private static String crc32(byte[] content) {
    CRC32 crc = new CRC32();
    crc.update(content);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** A string field of the CLI's JSON output, as printed (escapes kept). */
  private static String field(String json, String name) {
    Matcher value = Pattern.compile("\"" + name + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    assertThat(value.find()).as(name + " in " + json).isTrue();
    return value.group(1);
  }

  private static String md5(Path file) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1024 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md5.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md5.digest());
  }
}
