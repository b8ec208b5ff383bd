package io.shopstack.objectstore.system;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.springframework.stereotype.Component;

/**
 * The headers every answer of this origin carries, whichever way it was served: {@code X-Served-By}
 * names the instance, {@code x-amz-request-id} is S3's own id (also quoted in error documents), and
 * the journey's {@code X-Request-Id} is echoed so a trace can follow one request through the edges.
 */
@Component
public class ResponseStamp {

  private final String instance;

  ResponseStamp(ObjectStoreProperties properties) {
    this.instance = properties.instance();
  }

  /** Sets the headers and returns the new {@code x-amz-request-id}. */
  public String apply(String journeyId, BiConsumer<String, String> header) {
    String amzRequestId =
        HexFormat.of().withUpperCase().toHexDigits(ThreadLocalRandom.current().nextLong());
    header.accept("X-Served-By", instance);
    header.accept("x-amz-request-id", amzRequestId);
    if (journeyId != null && !journeyId.isBlank()) {
      header.accept("X-Request-Id", journeyId);
    }
    return amzRequestId;
  }
}
