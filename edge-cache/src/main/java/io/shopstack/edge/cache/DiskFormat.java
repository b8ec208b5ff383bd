package io.shopstack.edge.cache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.shopstack.edge.origin.OriginResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The file one key's variants are kept in on disk: a magic and version, the key, then each variant
 * with what RFC 9111 needs to judge it later (the same fields as {@link CacheEntry}), and a CRC-32
 * of all of it at the end, so a file cut short or damaged is recognised and dropped, never served.
 */
final class DiskFormat {
  private static final long MAGIC = 0x53484f5045444745L; // "SHOPEDGE"
  private static final int VERSION = 1;

  private DiskFormat() {}

  static byte[] encode(CacheKey key, List<CacheEntry> variants) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeKey(out, key);
      out.writeInt(variants.size());
      for (CacheEntry e : variants) {
        OriginResponse r = e.response();
        out.writeInt(r.status().code());
        writeString(out, r.status().reasonPhrase());
        List<Map.Entry<String, String>> headers = r.headers().entries();
        out.writeInt(headers.size());
        for (Map.Entry<String, String> h : headers) {
          writeString(out, h.getKey());
          writeString(out, h.getValue());
        }
        out.writeInt(r.body().length);
        out.write(r.body());
        out.writeLong(r.requestTimeMillis());
        out.writeLong(r.responseTimeMillis());
        out.writeLong(e.correctedInitialAgeMillis());
        out.writeLong(e.freshnessLifetimeMillis());
        out.writeLong(e.staleWhileRevalidateMillis());
        out.writeLong(e.staleIfErrorMillis());
        out.writeBoolean(e.mustRevalidate());
        out.writeInt(e.varyValues().size());
        for (Map.Entry<String, String> v : e.varyValues().entrySet()) {
          writeString(out, v.getKey());
          writeString(out, v.getValue());
        }
      }
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** The key a file holds, from its first bytes only (the index is rebuilt from these at start). */
  static CacheKey readKey(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readLong() != MAGIC || data.readInt() != VERSION) {
      throw new IOException("not an edge-cache object file of version " + VERSION);
    }
    return new CacheKey(readString(data), readString(data));
  }

  /**
   * The variants a whole file holds.
   *
   * @throws IOException when the file is damaged, cut short or of another key
   */
  static List<CacheEntry> decode(CacheKey expected, byte[] file) throws IOException {
    if (file.length < 8) {
      throw new IOException("file too short");
    }
    CRC32 crc = new CRC32();
    crc.update(file, 0, file.length - 8);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
    in.skipNBytes(file.length - 8);
    if (in.readLong() != crc.getValue()) {
      throw new IOException("checksum mismatch");
    }
    in = new DataInputStream(new ByteArrayInputStream(file, 0, file.length - 8));
    CacheKey key = readKey(in);
    if (!key.equals(expected)) {
      throw new IOException("holds " + key + ", not " + expected);
    }
    int count = in.readInt();
    List<CacheEntry> variants = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int code = in.readInt();
      String reason = readString(in);
      HttpHeaders headers = new DefaultHttpHeaders(false);
      int headerCount = in.readInt();
      for (int h = 0; h < headerCount; h++) {
        headers.add(readString(in), readString(in));
      }
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      OriginResponse response =
          new OriginResponse(
              new HttpResponseStatus(code, reason), headers, body, in.readLong(), in.readLong());
      long age = in.readLong();
      long lifetime = in.readLong();
      long swr = in.readLong();
      long sie = in.readLong();
      boolean mustRevalidate = in.readBoolean();
      Map<String, String> vary = new LinkedHashMap<>();
      int varyCount = in.readInt();
      for (int v = 0; v < varyCount; v++) {
        vary.put(readString(in), readString(in));
      }
      variants.add(
          new CacheEntry(response, age, lifetime, Map.copyOf(vary), swr, sie, mustRevalidate));
    }
    return variants;
  }

  private static void writeKey(DataOutputStream out, CacheKey key) throws IOException {
    out.writeLong(MAGIC);
    out.writeInt(VERSION);
    writeString(out, key.host());
    writeString(out, key.target());
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 1 << 24) {
      throw new IOException("bad string length " + length);
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
