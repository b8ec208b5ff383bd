package io.shopstack.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * SIGKILL in the middle of a stream of PUTs (new keys and overwrites) and multipart uploads, then a
 * restart on the same disk: every write the store acknowledged reads back byte for byte (or as a
 * later write of the same key that was under way), and every key that is listed holds exactly one
 * of the bodies written to it, never part of one.
 */
class KillDuringWritesTests {

  private static final String BUCKET = "crash";
  private static final int PUT_WRITERS = 4;
  private static final int KEYS_PER_WRITER = 3;
  private static final int PART = 5 * 1024 * 1024;

  /** One body written (or being written) to a key; its bytes follow from its seed. */
  private record Attempt(String key, long seed, int size) {
    byte[] bytes() {
      byte[] bytes = new byte[size];
      new Random(seed).nextBytes(bytes);
      return bytes;
    }
  }

  private final Map<String, List<Attempt>> attempted = new ConcurrentHashMap<>();
  private final Map<String, Attempt> acknowledged = new ConcurrentHashMap<>();
  private final AtomicInteger acknowledgements = new AtomicInteger();
  private final AtomicInteger completedUploads = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();

  @Test
  void acknowledgedWritesSurviveAndNothingPartialIsVisible(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path log = dir.resolve("store.log");
    List<Thread> writers = new ArrayList<>();
    try (StoreProcess store = StoreProcess.start(data, log)) {
      S3Client s3 = SignedHttp.sdkClient(store.port());
      s3.createBucket(b -> b.bucket(BUCKET));
      for (int w = 0; w < PUT_WRITERS; w++) {
        int writer = w;
        writers.add(new Thread(() -> putLoop(s3, writer), "put-writer-" + writer));
      }
      writers.add(new Thread(() -> multipartLoop(s3), "multipart-writer"));
      writers.forEach(Thread::start);

      // killed while every writer is in the middle of its stream, overwrites and uploads included
      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> completedUploads.get() >= 1 && acknowledgements.get() >= 40);
      store.kill();
      stop.set(true);
      for (Thread writer : writers) {
        writer.join(60_000);
      }
      s3.close();
    }
    assertThat(completedUploads.get()).as("multipart uploads acknowledged").isPositive();

    try (StoreProcess store = StoreProcess.start(data, log);
        S3Client s3 = SignedHttp.sdkClient(store.port())) {
      List<String> listed =
          s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
              .map(S3Object::key)
              .toList();
      assertThat(listed).containsAll(acknowledged.keySet());
      for (String key : listed) {
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        List<Attempt> candidates = readable(key);
        assertThat(candidates.stream().anyMatch(a -> Arrays.equals(a.bytes(), stored)))
            .as(
                "%s (%d bytes) is one whole body written to it, at least the acknowledged one",
                key, stored.length)
            .isTrue();
      }
    }
  }

  /** What {@code key} may hold after the crash: its last acknowledged body or any written later. */
  private List<Attempt> readable(String key) {
    List<Attempt> all = attempted.get(key);
    assertThat(all).as("%s was written by the test", key).isNotNull();
    Attempt last = acknowledged.get(key);
    return last == null ? all : all.subList(all.indexOf(last), all.size());
  }

  private void putLoop(S3Client s3, int writer) {
    Random sizes = new Random(writer);
    for (int n = 0; !stop.get(); n++) {
      String key = "put-" + writer + "-" + (n % KEYS_PER_WRITER);
      Attempt attempt = attempt(key, writer * 1_000_000L + n, 64 * 1024 + sizes.nextInt(1 << 20));
      try {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(attempt.bytes()));
      } catch (RuntimeException killed) {
        return;
      }
      acknowledged.put(key, attempt);
      acknowledgements.incrementAndGet();
    }
  }

  private void multipartLoop(S3Client s3) {
    for (int n = 0; !stop.get(); n++) {
      String key = "multipart-" + n;
      Attempt attempt = attempt(key, 9_000_000L + n, PART + 4096 + n);
      byte[] bytes = attempt.bytes();
      try {
        String upload = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int part = 1, at = 0; at < bytes.length; part++, at += PART) {
          int number = part;
          byte[] slice = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + PART));
          String etag =
              s3.uploadPart(
                      b -> b.bucket(BUCKET).key(key).uploadId(upload).partNumber(number),
                      RequestBody.fromBytes(slice))
                  .eTag();
          parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(
            b -> b.bucket(BUCKET).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
      } catch (RuntimeException killed) {
        return;
      }
      acknowledged.put(key, attempt);
      acknowledgements.incrementAndGet();
      completedUploads.incrementAndGet();
    }
  }

  private Attempt attempt(String key, long seed, int size) {
    Attempt attempt = new Attempt(key, seed, size);
    attempted.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(attempt);
    return attempt;
  }
}
