package io.shopstack.objectstore.addressing;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The domains under which {@code <bucket>.<domain>} names a bucket ({@code
 * object-store.virtual-hosts.domains}), as MinIO's {@code MINIO_DOMAIN}: a request for {@code
 * images.s3.shop.example} is one for bucket {@code images}. Empty (the default): path-style only.
 */
@ConfigurationProperties("object-store.virtual-hosts")
public record VirtualHostProperties(List<String> domains) {

  public VirtualHostProperties {
    domains =
        domains == null
            ? List.of()
            : domains.stream()
                .map(d -> d.trim().toLowerCase(Locale.ROOT))
                .filter(d -> !d.isEmpty())
                .toList();
  }
}
