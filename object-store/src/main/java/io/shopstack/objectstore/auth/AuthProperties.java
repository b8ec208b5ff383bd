package io.shopstack.objectstore.auth;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may do what ({@code object-store.auth.*}): one access key pair that every signed request must
 * use, and the buckets whose objects anyone may read unsigned (the CDN edges fetch product images
 * without credentials, like from an S3 bucket with a public-read policy).
 *
 * @param accessKey the access key id clients sign with
 * @param secretKey its secret
 * @param publicReadBuckets buckets whose objects GET and HEAD serve without a signature
 * @param maxClockSkew how far a signed request's time may be from ours (S3: 15 minutes)
 */
@ConfigurationProperties("object-store.auth")
public record AuthProperties(
    String accessKey, String secretKey, List<String> publicReadBuckets, Duration maxClockSkew) {

  public AuthProperties {
    if (accessKey == null || accessKey.isBlank()) {
      throw new IllegalArgumentException("object-store.auth.access-key must be set");
    }
    if (secretKey == null || secretKey.isBlank()) {
      throw new IllegalArgumentException("object-store.auth.secret-key must be set");
    }
    publicReadBuckets =
        publicReadBuckets == null
            ? List.of()
            : publicReadBuckets.stream().map(String::trim).filter(b -> !b.isEmpty()).toList();
    maxClockSkew = maxClockSkew == null ? Duration.ofMinutes(15) : maxClockSkew;
  }

  public boolean publicRead(String bucket) {
    return Set.copyOf(publicReadBuckets).contains(bucket);
  }
}
