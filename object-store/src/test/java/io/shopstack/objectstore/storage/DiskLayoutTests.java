package io.shopstack.objectstore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopstack.objectstore.system.S3Exception;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DiskLayoutTests {

  private final DiskLayout layout = new DiskLayout(Path.of("/srv/object-store"));

  @Test
  void everyKeyBecomesOneFileNameInsideItsBucket() {
    for (String key : new String[] {"a", "a/b", "covers/课程 1.png", ".hidden", "a%2Fb", "..x"}) {
      Path sidecar = layout.sidecar("images", key);
      assertThat(sidecar.getParent()).isEqualTo(Path.of("/srv/object-store/images/objects"));
      assertThat(DiskLayout.keyOf(sidecar)).isEqualTo(key);
      assertThat(sidecar.getFileName().toString()).doesNotStartWith(".");
    }
  }

  @Test
  void traversalKeysAndBadBucketNamesAreRefused() {
    for (String key : new String[] {"..", "a/../b", "/etc/passwd", "a/./b", "a\\..\\b", ""}) {
      assertThatThrownBy(() -> layout.sidecar("images", key)).isInstanceOf(S3Exception.class);
    }
    for (String bucket : new String[] {"..", ".tmp", "Images", "a", "192.168.0.1", "a/b"}) {
      assertThatThrownBy(() -> layout.objects(bucket)).isInstanceOf(S3Exception.class);
    }
  }
}
