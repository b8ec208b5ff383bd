package io.shopstack.client.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PicturesStepTest {
  @Test
  void viaNamesTheHopsOriginSideFirstAcrossRepeatedFields() {
    assertThat(PicturesStep.viaPath(List.of("1.1 dc-cache, 1.1 edge-north (shop-stack)")))
        .isEqualTo("dc-cache -> edge-north");
    assertThat(PicturesStep.viaPath(List.of("1.1 slb", "HTTP/1.1 dc-cache", "1.1 edge-north")))
        .isEqualTo("slb -> dc-cache -> edge-north");
  }

  @Test
  void oneHopOrNoneIsNoPath() {
    assertThat(PicturesStep.viaPath(List.of("1.1 edge-north"))).isNull();
    assertThat(PicturesStep.viaPath(List.of())).isNull();
  }

  @Test
  void onlyTheLastCacheVerdictCountsAsTheEdgesOwn() {
    assertThat(PicturesStep.isHit("MISS, HIT")).isTrue();
    assertThat(PicturesStep.isHit("HIT, MISS")).isFalse();
    assertThat(PicturesStep.isHit(null)).isFalse();
  }
}
