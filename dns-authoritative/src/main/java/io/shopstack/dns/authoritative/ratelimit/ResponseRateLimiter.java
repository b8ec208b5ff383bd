package io.shopstack.dns.authoritative.ratelimit;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response rate limiting in the manner of BIND's RRL: one account per client network (/24 for IPv4,
 * /56 for IPv6, since a spoofed flood varies the last octet), each a token bucket that earns {@code
 * responsesPerSecond} and holds at most one second's worth. A flood runs the account into debt,
 * down to {@code window} seconds' worth, so a prefix that went over stays limited until it has been
 * quiet long enough. Of the limited answers every {@code slip}-th is let through as an empty
 * truncated answer: a real client then retries over TCP, which a spoofer cannot.
 *
 * <p>The accounts live in a bounded LRU map, so a flood from many prefixes costs memory only up to
 * {@link #MAX_ACCOUNTS}; a forgotten prefix simply starts with a full bucket again.
 */
public final class ResponseRateLimiter {
  static final int MAX_ACCOUNTS = 65_536;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** What to do with one answer. */
  public enum Decision {
    SEND,
    DROP,
    SLIP
  }

  private static final class Account {
    double balance;
    long lastNanos;
    long limited;
  }

  private final double perSecond;
  private final double maxDebt;
  private final int slip;
  private final Map<Long, Account> accounts =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Account> eldest) {
          return size() > MAX_ACCOUNTS;
        }
      };

  public ResponseRateLimiter(int responsesPerSecond, int windowSeconds, int slip) {
    if (responsesPerSecond < 1) {
      throw new IllegalArgumentException("responsesPerSecond must be positive when RRL is on");
    }
    this.perSecond = responsesPerSecond;
    this.maxDebt = (double) responsesPerSecond * windowSeconds;
    this.slip = slip;
  }

  /**
   * Charges one answer to {@code client}'s network at {@code nowNanos} ({@link System#nanoTime}).
   */
  public Decision charge(InetAddress client, long nowNanos) {
    long key = networkOf(client);
    synchronized (accounts) {
      Account account = accounts.get(key);
      if (account == null) {
        account = new Account();
        account.balance = perSecond;
        account.lastNanos = nowNanos;
        accounts.put(key, account);
      }
      double earned = (nowNanos - account.lastNanos) * perSecond / NANOS_PER_SECOND;
      account.lastNanos = nowNanos;
      account.balance = Math.max(-maxDebt, Math.min(perSecond, account.balance + earned) - 1);
      if (account.balance >= 0) {
        return Decision.SEND;
      }
      account.limited++;
      return slip > 0 && account.limited % slip == 0 ? Decision.SLIP : Decision.DROP;
    }
  }

  /** The /24 or /56 as a number, tagged by family so the two never collide. */
  static long networkOf(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return (1L << 60) | ((b[0] & 0xffL) << 16) | ((b[1] & 0xffL) << 8) | (b[2] & 0xffL);
    }
    long key = 2L << 60;
    for (int i = 0; i < 7; i++) {
      key |= (b[i] & 0xffL) << (8 * (6 - i));
    }
    return key;
  }
}
