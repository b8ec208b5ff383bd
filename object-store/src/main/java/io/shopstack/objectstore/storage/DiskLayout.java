package io.shopstack.objectstore.storage;

import io.shopstack.objectstore.system.ObjectStoreProperties;
import io.shopstack.objectstore.system.S3Error;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where things live on disk:
 *
 * <pre>
 * {data-dir}/.tmp/                      uploads in progress (same file system: moves are renames)
 * {data-dir}/{bucket}/objects/{enc}.json  one sidecar per object; its presence is the object
 * {data-dir}/{bucket}/blobs/{uuid}        content, written once, never modified
 * </pre>
 *
 * {@code enc} is the key percent-encoded into a single file name (slashes included), so keys {@code
 * a} and {@code a/b} can coexist as they do in S3, and no key can name a path outside its bucket.
 * Bucket names are validated to be plain directory names and cannot start with a dot.
 */
@Component
class DiskLayout {

  /** ext4 and friends allow 255 bytes per name; the sidecar adds ".json". */
  private static final int MAX_ENCODED_KEY = 250;

  private final Path root;

  @Autowired
  DiskLayout(ObjectStoreProperties properties) {
    this(properties.dataDir());
  }

  DiskLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path tmp() {
    return root.resolve(".tmp");
  }

  Path bucket(String bucket) {
    return inside(root, BucketName.require(bucket));
  }

  Path objects(String bucket) {
    return bucket(bucket).resolve("objects");
  }

  Path blobs(String bucket) {
    return bucket(bucket).resolve("blobs");
  }

  Path sidecar(String bucket, String key) {
    String name = encode(ObjectKey.require(key));
    if (name.length() > MAX_ENCODED_KEY) {
      throw S3Error.KEY_TOO_LONG.exception(
          "This store keeps each key in one file name; encoded it may not exceed "
              + MAX_ENCODED_KEY
              + " bytes");
    }
    return inside(objects(bucket), name + ".json");
  }

  Path blob(String bucket, String blobName) {
    return inside(blobs(bucket), blobName);
  }

  /** Multipart uploads in progress: one directory each, removed with the bucket. */
  Path uploads(String bucket) {
    return bucket(bucket).resolve("uploads");
  }

  Path upload(String bucket, String uploadId) {
    if (!uploadId.matches("[0-9a-f]{32}")) {
      throw S3Error.NO_SUCH_UPLOAD.exception();
    }
    return inside(uploads(bucket), uploadId);
  }

  /** The key a sidecar file name stands for, or null for a file that is not a sidecar. */
  static String keyOf(Path sidecar) {
    String name = sidecar.getFileName().toString();
    return name.endsWith(".json") ? decode(name.substring(0, name.length() - 5)) : null;
  }

  /** Belt and braces: whatever a name says, the result must stay under {@code parent}. */
  private static Path inside(Path parent, String name) {
    Path resolved = parent.resolve(name).normalize();
    if (!resolved.getParent().equals(parent)) {
      throw S3Error.INVALID_ARGUMENT.exception("Path traversal is not allowed");
    }
    return resolved;
  }

  /** Letters, digits, '-' and '_' stay; '.' stays except first (no hidden or dot names). */
  static String encode(String key) {
    StringBuilder out = new StringBuilder();
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '-'
              || b == '_'
              || (b == '.' && i > 0);
      if (plain) {
        out.append((char) b);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  static String decode(String name) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' && i + 2 < name.length()) {
        bytes.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
