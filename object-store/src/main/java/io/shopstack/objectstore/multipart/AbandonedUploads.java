package io.shopstack.objectstore.multipart;

import io.shopstack.objectstore.storage.MultipartStorage;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Removes multipart uploads nobody completed or aborted, as an S3 lifecycle rule with
 * AbortIncompleteMultipartUpload would: a client that crashed mid-upload otherwise leaves its parts
 * on disk forever. Checked every {@code object-store.multipart.sweep-every}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AbandonedUploads {

  private static final Logger log = LoggerFactory.getLogger(AbandonedUploads.class);

  private final MultipartStorage uploads;
  private final Duration abandonAfter;

  AbandonedUploads(
      MultipartStorage uploads,
      @Value("${object-store.multipart.abandon-after:7d}") Duration abandonAfter) {
    this.uploads = uploads;
    this.abandonAfter = abandonAfter;
  }

  @Scheduled(
      initialDelayString = "${object-store.multipart.sweep-every:1h}",
      fixedDelayString = "${object-store.multipart.sweep-every:1h}")
  void sweep() throws IOException {
    int removed = uploads.abandonOlderThan(abandonAfter);
    if (removed > 0) {
      log.info("Removed {} multipart upload(s) older than {}", removed, abandonAfter);
    }
  }
}
