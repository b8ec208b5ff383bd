package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A second store started on a directory a running store serves refuses to start, naming the owner,
 * before it sweeps anything: the running store's objects, and its upload in progress, stay whole.
 */
class DataDirectoryLockTests {

  @Test
  void aSecondStoreOnTheSameDirectoryRefusesToStartAndTouchesNothing(@TempDir Path dir)
      throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    byte[] body = "kept whole".getBytes(StandardCharsets.UTF_8);
    try (StoreProcess first = StoreProcess.start(data, dir.resolve("first.log"));
        S3Client s3 = SignedHttp.sdkClient(first.port())) {
      s3.createBucket(b -> b.bucket("locked"));
      s3.putObject(b -> b.bucket("locked").key("a"), RequestBody.fromBytes(body));
      // What an upload between its two renames leaves: a blob that no sidecar names yet. The
      // second store's start-up sweep would delete it.
      Path pending = data.resolve("locked/blobs/upload-in-progress");
      Files.write(pending, body);

      StoreProcess second = StoreProcess.launch(data, dir.resolve("second.log"));
      int status = second.process().awaitExit();

      assertThat(status).as("exit status of the second store").isNotZero();
      assertThat(String.join("\n", second.process().output()))
          .contains("data directory " + data.toAbsolutePath().normalize())
          .contains("is in use by another object store (pid " + first.process().pid() + ")");
      assertThat(pending).as("the first store's upload in progress").exists();
      assertThat(s3.getObjectAsBytes(b -> b.bucket("locked").key("a")).asByteArray())
          .isEqualTo(body);
    }
  }
}
