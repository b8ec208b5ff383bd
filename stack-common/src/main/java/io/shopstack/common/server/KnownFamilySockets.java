package io.shopstack.common.server;

import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's {@link LinuxSocket} for a descriptor whose address family the caller already knows.
 * Netty's one constructor asks the kernel ({@code getsockname}) whether each new socket is IPv6,
 * although a socket it just made has the family it was made with, and one that {@code accept4}
 * returned has its listener's. Per connection that is one system call for the client's side and one
 * for the backend's: about 1.5 % of the SLB's CPU with a new connection per request
 * (async-profiler, the family check with its JNI way in and out), where HAProxy makes none.
 *
 * <p>So the socket object is made here without its constructor, with the descriptor and the family
 * set as the constructor would set them ({@code FileDescriptor.fd}, {@code Socket.ipv6}; its state
 * is zero, open, as the constructor leaves it). That reaches into Netty's fields: they are looked
 * up once, by name and type, and if anything does not match (another Netty), or the JDK's {@code
 * sun.misc.Unsafe} is not there, every socket is made by Netty's constructor as before, and that is
 * logged once. {@link #skipsFamilyCheck()} tells which; a test holds this build to the fast way.
 */
public final class KnownFamilySockets {
  private static final Logger log = LoggerFactory.getLogger(KnownFamilySockets.class);
  private static final Fields FIELDS = Fields.find();

  private KnownFamilySockets() {}

  /** True when sockets are made without Netty's family check; false on the fallback. */
  public static boolean skipsFamilyCheck() {
    return FIELDS != null;
  }

  /** A new non-blocking stream socket of {@code family} (the kernel's {@code socket} call). */
  public static LinuxSocket newStream(SocketProtocolFamily family) {
    boolean ipv6 = family == SocketProtocolFamily.INET6;
    if (FIELDS == null) {
      return LinuxSocket.newSocketStream(family);
    }
    return FIELDS.wrap(Descriptors.stream(ipv6), ipv6);
  }

  /** The socket {@code accept4} returned on {@code listener}: of the listener's family. */
  static LinuxSocket accepted(int fd, LinuxSocket listener) {
    if (FIELDS == null) {
      return LinuxSocket.newSocket(fd);
    }
    return FIELDS.wrap(fd, FIELDS.isIpv6(listener));
  }

  /** The family {@code socket} was made with, as its own methods take it (read, not asked for). */
  static boolean isIpv6(LinuxSocket socket) {
    return FIELDS.isIpv6(socket);
  }

  /** Reaches Socket's protected descriptor factory; never made. */
  private abstract static class Descriptors extends Socket {
    private Descriptors() {
      super(-1);
    }

    static int stream(boolean ipv6) {
      return newSocketStream0(ipv6);
    }
  }

  /** Where the constructor would put the descriptor and the family, and the means to put them. */
  private record Fields(sun.misc.Unsafe unsafe, long fd, long ipv6) {
    static Fields find() {
      try {
        Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
        Field fd = FileDescriptor.class.getDeclaredField("fd");
        Field ipv6 = Socket.class.getDeclaredField("ipv6");
        Field state = FileDescriptor.class.getDeclaredField("state");
        // The constructor sets these and nothing else (state stays zero: open).
        if (fd.getType() != int.class
            || ipv6.getType() != boolean.class
            || state.getType() != int.class
            || instanceFields(FileDescriptor.class) != 2
            || instanceFields(Socket.class) != 1
            || instanceFields(LinuxSocket.class) != 0) {
          throw new NoSuchFieldException("Netty's socket fields are not the ones known here");
        }
        Fields fields =
            new Fields(unsafe, unsafe.objectFieldOffset(fd), unsafe.objectFieldOffset(ipv6));
        fields.check();
        return fields;
      } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
        log.info(
            "sockets are made by Netty's constructor (one getsockname each): {}", e.toString());
        return null;
      }
    }

    private static long instanceFields(Class<?> type) {
      return Arrays.stream(type.getDeclaredFields())
          .filter(f -> !Modifier.isStatic(f.getModifiers()))
          .count();
    }

    /** Sockets made by Netty, read through these offsets, have the family they were made with. */
    private void check() throws IOException {
      for (SocketProtocolFamily family :
          new SocketProtocolFamily[] {SocketProtocolFamily.INET, SocketProtocolFamily.INET6}) {
        LinuxSocket byNetty = LinuxSocket.newSocketStream(family);
        try {
          LinuxSocket ours = wrap(byNetty.intValue(), isIpv6(byNetty));
          if (isIpv6(byNetty) != (family == SocketProtocolFamily.INET6)
              || ours.intValue() != byNetty.intValue()
              || !ours.isOpen()
              || !ours.localAddress().equals(byNetty.localAddress())) {
            throw new IllegalStateException("a socket made without its constructor differs");
          }
        } finally {
          byNetty.close();
        }
      }
    }

    LinuxSocket wrap(int descriptor, boolean isIpv6) {
      try {
        LinuxSocket socket = (LinuxSocket) unsafe.allocateInstance(LinuxSocket.class);
        unsafe.putInt(socket, fd, descriptor);
        unsafe.putBoolean(socket, ipv6, isIpv6);
        return socket;
      } catch (InstantiationException e) {
        throw new IllegalStateException(e);
      }
    }

    boolean isIpv6(LinuxSocket socket) {
      return unsafe.getBoolean(socket, ipv6);
    }
  }
}
