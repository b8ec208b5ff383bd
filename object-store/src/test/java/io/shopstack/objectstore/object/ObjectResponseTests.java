package io.shopstack.objectstore.object;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopstack.objectstore.storage.ObjectHeaders;
import io.shopstack.objectstore.storage.StoredObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectResponseTests {

  private static Map<String, String> headersOf(Instant lastModified) {
    StoredObject object =
        new StoredObject(
            "photo.png",
            10,
            "\"0123456789abcdef0123456789abcdef\"",
            lastModified,
            "blob",
            new ObjectHeaders(Map.of("Content-Type", "image/png"), Map.of()));
    Map<String, String> headers = new LinkedHashMap<>();
    ObjectResponse.representation(object, headers::put);
    return headers;
  }

  @Test
  void lastModifiedIsAnImfFixdateWithATwoDigitDay() {
    // RFC 9110 section 5.6.7: day = 2DIGIT; S3 sends "Tue, 03 Nov 2026 ..."
    assertThat(headersOf(Instant.parse("2026-11-03T07:08:09.750Z")))
        .containsEntry("Last-Modified", "Tue, 03 Nov 2026 07:08:09 GMT");
    assertThat(headersOf(Instant.parse("2026-11-30T23:59:59Z")))
        .containsEntry("Last-Modified", "Mon, 30 Nov 2026 23:59:59 GMT");
  }

  @Test
  void aConditionalDateWrittenSoIsReadBack() {
    Instant modified = Instant.parse("2026-02-01T00:00:00Z");
    String sent = headersOf(modified).get("Last-Modified");
    assertThat(Preconditions.httpDate(sent)).isEqualTo(modified);
  }
}
