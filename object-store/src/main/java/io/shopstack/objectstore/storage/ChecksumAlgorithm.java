package io.shopstack.objectstore.storage;

import io.shopstack.objectstore.system.XmlDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * A flexible checksum algorithm a multipart upload can be created with ({@code
 * x-amz-checksum-algorithm}), and the composite checksum S3 gives such an upload when it completes:
 * the checksum of the parts' binary checksums one after the other, base64, then "-" and the number
 * of parts ("checksum of checksums", S3's COMPOSITE type). It says that each part arrived as sent
 * and in which order; it is not the checksum of the object's bytes, so clients do not check a body
 * against it. CRC64NVME, which the JDK cannot compute, is not among them (S3 offers it only as a
 * full-object checksum anyway).
 */
public enum ChecksumAlgorithm {
  CRC32("x-amz-checksum-crc32", "ChecksumCRC32"),
  CRC32C("x-amz-checksum-crc32c", "ChecksumCRC32C"),
  SHA1("x-amz-checksum-sha1", "ChecksumSHA1"),
  SHA256("x-amz-checksum-sha256", "ChecksumSHA256");

  /**
   * The header that names an upload's algorithm; the upload's sidecar keeps it among its checksums
   * (where an object keeps its values) until completion replaces it with the composite value.
   */
  public static final String HEADER = "x-amz-checksum-algorithm";

  private final String header;
  private final String element;

  ChecksumAlgorithm(String header, String element) {
    this.header = header;
    this.element = element;
  }

  /** The algorithm named in {@code x-amz-checksum-algorithm} (any case); empty for others. */
  public static Optional<ChecksumAlgorithm> named(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String upper = name.trim().toUpperCase(Locale.ROOT);
    for (ChecksumAlgorithm algorithm : values()) {
      if (algorithm.name().equals(upper)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }

  /** The algorithm whose value travels in header (or trailer) {@code name}; empty for others. */
  public static Optional<ChecksumAlgorithm> ofHeader(String name) {
    for (ChecksumAlgorithm algorithm : values()) {
      if (algorithm.header.equalsIgnoreCase(name.trim())) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }

  /**
   * S3's {@code x-amz-checksum-type} of a kept value: COMPOSITE for a value ending in "-" and the
   * part count (base64 has no "-"), FULL_OBJECT for the checksum of the bytes themselves.
   */
  public static String type(String value) {
    return value.matches(".*-[0-9]+") ? "COMPOSITE" : "FULL_OBJECT";
  }

  /** The value's header, {@code x-amz-checksum-crc32}, ... */
  public String header() {
    return header;
  }

  /**
   * The value's element in S3's XML (ListParts, CompleteMultipartUpload), {@code ChecksumCRC32}.
   */
  public String element() {
    return element;
  }

  /**
   * The base64 checksum of {@code file}'s bytes: for a part the store writes itself
   * (UploadPartCopy), where no client sent one.
   */
  public String of(Path file) throws IOException {
    Checksum crc = newCrc();
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        if (crc != null) {
          crc.update(buffer, 0, n);
        } else {
          digest.update(buffer, 0, n);
        }
      }
    }
    byte[] value =
        crc != null ? ByteBuffer.allocate(4).putInt((int) crc.getValue()).array() : digest.digest();
    return Base64.getEncoder().encodeToString(value);
  }

  /** Writes {@code checksums} (by header name) as S3's elements, {@code <ChecksumCRC32>} ... */
  public static void elements(Map<String, String> checksums, XmlDocument xml) {
    for (ChecksumAlgorithm algorithm : values()) {
      xml.element(algorithm.element(), checksums.get(algorithm.header()));
    }
  }

  /** The composite of the parts' base64 checksums, in part order: {@code base64(h(c1..cn))-n}. */
  public String composite(List<String> partChecksums) {
    byte[][] binary = new byte[partChecksums.size()][];
    int length = 0;
    for (int i = 0; i < binary.length; i++) {
      binary[i] = Base64.getDecoder().decode(partChecksums.get(i).trim());
      length += binary[i].length;
    }
    ByteBuffer joined = ByteBuffer.allocate(length);
    for (byte[] one : binary) {
      joined.put(one);
    }
    return Base64.getEncoder().encodeToString(digest(joined.array())) + "-" + binary.length;
  }

  private byte[] digest(byte[] bytes) {
    Checksum crc = newCrc();
    return crc != null ? crc(crc, bytes) : newDigest().digest(bytes);
  }

  /** A fresh CRC of this algorithm; null for the message digests. */
  public Checksum newCrc() {
    return switch (this) {
      case CRC32 -> new CRC32();
      case CRC32C -> new CRC32C();
      case SHA1, SHA256 -> null;
    };
  }

  /** A fresh message digest of this algorithm; null for the CRCs. */
  public MessageDigest newDigest() {
    String name =
        switch (this) {
          case CRC32, CRC32C -> null;
          case SHA1 -> "SHA-1";
          case SHA256 -> "SHA-256";
        };
    if (name == null) {
      return null;
    }
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships " + name, e);
    }
  }

  private static byte[] crc(Checksum crc, byte[] bytes) {
    crc.update(bytes, 0, bytes.length);
    return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
  }
}
