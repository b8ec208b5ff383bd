package io.shopstack.objectstore.storage;

import io.shopstack.objectstore.system.S3Error;
import java.util.regex.Pattern;

/**
 * S3's bucket naming rules (3-63 characters of lowercase letters, digits, dots and hyphens,
 * starting and ending with a letter or digit, not shaped like an IP address). They also make every
 * valid name a safe directory name: no slashes, no leading dot, never {@code ..}.
 */
public final class BucketName {

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  private BucketName() {}

  public static String require(String name) {
    if (name == null
        || !VALID.matcher(name).matches()
        || name.contains("..")
        || name.contains(".-")
        || name.contains("-.")
        || IP_ADDRESS.matcher(name).matches()) {
      throw S3Error.INVALID_BUCKET_NAME.exception("The specified bucket is not valid: " + name);
    }
    return name;
  }
}
