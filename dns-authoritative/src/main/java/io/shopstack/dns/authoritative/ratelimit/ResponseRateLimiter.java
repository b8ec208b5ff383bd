package io.shopstack.dns.authoritative.ratelimit;

import java.net.InetAddress;

/**
 * Response rate limiting in the manner of BIND's RRL: one account per client network (/24 for IPv4,
 * /56 for IPv6, since a spoofed flood varies the last octet), each a token bucket that earns {@code
 * responsesPerSecond} and holds at most one second's worth. A flood runs the account into debt,
 * down to {@code window} seconds' worth, so a prefix that went over stays limited until it has been
 * quiet long enough. Of the limited answers every {@code slip}-th is let through as an empty
 * truncated answer: a real client then retries over TCP, which a spoofer cannot.
 *
 * <p>The accounts live in a bounded LRU table ({@link Accounts}), so a flood from many prefixes
 * costs memory only up to {@link #MAX_ACCOUNTS}; a forgotten prefix simply starts with a full
 * bucket again. Charging an answer makes no garbage: the fast path charges every answer it replays.
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

  private final double perSecond;
  private final double maxDebt;
  private final int slip;
  private final Accounts accounts = new Accounts(MAX_ACCOUNTS);

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
      int account = accounts.find(key);
      if (account < 0) {
        account = accounts.add(key);
        accounts.balance[account] = perSecond;
        accounts.lastNanos[account] = nowNanos;
        accounts.limited[account] = 0;
      }
      double earned = (nowNanos - accounts.lastNanos[account]) * perSecond / NANOS_PER_SECOND;
      accounts.lastNanos[account] = nowNanos;
      double balance =
          Math.max(-maxDebt, Math.min(perSecond, accounts.balance[account] + earned) - 1);
      accounts.balance[account] = balance;
      if (balance >= 0) {
        return Decision.SEND;
      }
      long limited = ++accounts.limited[account];
      return slip > 0 && limited % slip == 0 ? Decision.SLIP : Decision.DROP;
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
