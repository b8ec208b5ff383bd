package io.shopstack.slb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PROXY header a frontend puts in front of each backend connection: a {@link ProxyProtocol}
 * version and, with v2, HAProxy's {@code proxy-v2-options} this SLB sends: {@code crc32c} (a
 * checksum of the header, which a receiver such as HAProxy checks and refuses the connection on
 * when it does not match) and {@code unique-id} (an ID for the connection, HAProxy's {@code
 * unique-id} TLV, which a backend can log to find the same connection in the SLB's access log and
 * its own). Written as the configuration value {@code v2 crc32c,unique-id}, as HAProxy's {@code
 * send-proxy-v2 proxy-v2-options crc32c,unique-id}.
 */
public record ProxyHeader(ProxyProtocol version, boolean crc32c, boolean uniqueId) {
  public static final ProxyHeader NONE = new ProxyHeader(ProxyProtocol.NONE, false, false);

  // Unique across this host's SLB processes and their restarts: the process ID and the time this
  // class was loaded (the SLB's start), then a count of this process's connections.
  private static final String ID_PREFIX =
      Long.toHexString(ProcessHandle.current().pid())
          + "-"
          + Long.toHexString(System.currentTimeMillis())
          + "-";
  private static final AtomicLong CONNECTIONS = new AtomicLong();

  public ProxyHeader {
    if ((crc32c || uniqueId) && version != ProxyProtocol.V2) {
      throw new IllegalArgumentException(
          "slb: PROXY options crc32c and unique-id need proxyProtocol v2, not " + version.label());
    }
  }

  /**
   * Reads the configuration value: {@code none}, {@code v1} or {@code v2}, any case, and after v2,
   * optionally, a comma-separated list of {@code crc32c} and {@code unique-id}.
   */
  public static ProxyHeader of(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String[] words = value.trim().split("\\s+", 2);
    ProxyProtocol version = ProxyProtocol.of(words[0]);
    boolean crc32c = false;
    boolean uniqueId = false;
    if (words.length == 2) {
      for (String option : words[1].split(",")) {
        switch (option.trim().toLowerCase(Locale.ROOT)) {
          case "crc32c" -> crc32c = true;
          case "unique-id" -> uniqueId = true;
          default ->
              throw new IllegalArgumentException(
                  "slb: PROXY option must be crc32c or unique-id, got '" + option.trim() + "'");
        }
      }
    }
    return new ProxyHeader(version, crc32c, uniqueId);
  }

  /** As written in the configuration, normalised: {@code v2 crc32c,unique-id}. */
  public String label() {
    if (!crc32c && !uniqueId) {
      return version.label();
    }
    return version.label()
        + " "
        + (crc32c ? "crc32c" : "")
        + (crc32c && uniqueId ? "," : "")
        + (uniqueId ? "unique-id" : "");
  }

  /**
   * A new connection's unique ID when this header carries one, else null: {@code <pid>-<start
   * time>-<count>} in hex, unique on this host across the SLB's restarts.
   */
  String nextUniqueId() {
    return uniqueId ? ID_PREFIX + Long.toHexString(CONNECTIONS.incrementAndGet()) : null;
  }

  /**
   * The header for a client connected from {@code client} to {@code vip}, with {@code id} from
   * {@link #nextUniqueId} (null for none); null when no header is sent.
   */
  ByteBuf header(
      ByteBufAllocator alloc, InetSocketAddress client, InetSocketAddress vip, String id) {
    return version.header(
        alloc, client, vip, crc32c, id == null ? null : id.getBytes(StandardCharsets.US_ASCII));
  }
}
