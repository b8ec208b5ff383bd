package io.shopstack.objectstore.sendfile;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux's {@code TCP_CORK} on a socket channel: while it is set, the kernel sends only full
 * segments, so a response head and its file body leave together and a receive window that opens by
 * less than a segment gets no runt (nginx's {@code tcp_nopush}).
 *
 * <p>Why: on loopback (MSS 65,483) a reader opens its window by 64 KiB at a time; with {@code
 * TCP_NODELAY} and no cork, each opening went out as a full segment plus a 53-byte runt, the head
 * left as a segment of its own, and the reader acknowledged nearly every segment (15-17 ACKs per
 * MiB against nginx's 4-9): about 40 % more of the client's CPU per GET, which was what held the
 * GET rate at 0.7 x nginx's while our own core was 60 % idle.
 *
 * <p>The JDK has no option for it; its own {@code setsockopt} entry point is reached by reflection,
 * which needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (in the executable jar's
 * manifest). Without it, or off Linux, {@link #set} does nothing and responses go out uncorked, as
 * before: correct, only more segments.
 */
final class TcpCork {

  private static final Logger log = LoggerFactory.getLogger(TcpCork.class);

  /** Linux, include/uapi/linux/in.h and tcp.h. */
  private static final int IPPROTO_TCP = 6;

  private static final int TCP_CORK = 3;

  /** sun.nio.ch.SelChImpl#getFD: the channel's descriptor. */
  private static final MethodHandle DESCRIPTOR;

  /** sun.nio.ch.Net#setIntOption0(fd, mayNeedConversion, level, option, value, isIPv6). */
  private static final MethodHandle SET_INT_OPTION;

  static {
    MethodHandle descriptor = null;
    MethodHandle setIntOption = null;
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Method getFd = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFD");
        getFd.setAccessible(true);
        Method set =
            Class.forName("sun.nio.ch.Net")
                .getDeclaredMethod(
                    "setIntOption0",
                    FileDescriptor.class,
                    boolean.class,
                    int.class,
                    int.class,
                    int.class,
                    boolean.class);
        set.setAccessible(true);
        descriptor =
            lookup
                .unreflect(getFd)
                .asType(MethodType.methodType(FileDescriptor.class, SocketChannel.class));
        setIntOption = lookup.unreflect(set);
      } catch (ReflectiveOperationException | RuntimeException e) {
        log.info(
            "No TCP_CORK for sendfile responses (start with --add-opens"
                + " java.base/sun.nio.ch=ALL-UNNAMED to have it): {}",
            e.toString());
        descriptor = null;
        setIntOption = null;
      }
    }
    DESCRIPTOR = descriptor;
    SET_INT_OPTION = setIntOption;
  }

  private TcpCork() {}

  /**
   * Sets or clears the cork; clearing it sends what it held at once. Returns whether the socket is
   * now in the state asked for (false when corks are unavailable or the call failed, e.g. on a
   * socket already closed).
   */
  static boolean set(SocketChannel channel, boolean on) {
    if (SET_INT_OPTION == null || !channel.isOpen()) {
      return false;
    }
    try {
      FileDescriptor fd = (FileDescriptor) DESCRIPTOR.invokeExact(channel);
      SET_INT_OPTION.invokeExact(fd, false, IPPROTO_TCP, TCP_CORK, on ? 1 : 0, false);
      return true;
    } catch (Throwable e) {
      log.debug("TCP_CORK {} failed: {}", on ? "on" : "off", e.toString());
      return false;
    }
  }
}
