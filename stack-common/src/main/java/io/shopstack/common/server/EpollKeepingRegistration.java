package io.shopstack.common.server;

import io.netty.channel.Channel;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Netty's native epoll, except that a channel left with nothing to wait for stays in the epoll set.
 *
 * <p>Why: Netty 4.2.18 (and 4.2.20, the newest checked) removes a channel's descriptor from the
 * epoll set ({@code EPOLL_CTL_DEL}) when its interest becomes empty, yet goes on treating it as
 * added, so the next interest is an {@code EPOLL_CTL_MOD} the kernel refuses with {@code ENOENT};
 * Netty then fails the pending write and shuts the channel's output. A half-closed connection gets
 * there every time: after the peer's FIN the channel waits for no input (RDHUP and IN cleared), and
 * the first write that has to wait for room in the socket buffer (EPOLLOUT) fails. An L4 proxy
 * relaying a long answer to a client that had half-closed lost the tail of the stream that way (the
 * slb's DataPathTest, about one run in two). Here an empty interest, once the channel is in the
 * set, is submitted as {@code EPOLLET} alone: the descriptor stays registered, and edge triggering
 * reports the error and hang-up conditions epoll always watches once per change, not on every wait
 * (the wake-up storm Netty's removal was meant to stop).
 */
final class EpollKeepingRegistration implements IoHandler {
  // Read when the epoll transport is chosen, so only once its native library has loaded.
  private static final EpollIoOps EDGE_ONLY = EpollIoOps.valueOf(Native.EPOLLET);

  private final IoHandler epoll;
  private final ThreadAwareExecutor loop;
  // Registrations whose interest changed since this loop last waited; only the loop's thread.
  private final ArrayDeque<KeptRegistration> changed = new ArrayDeque<>();

  private EpollKeepingRegistration(IoHandler epoll, ThreadAwareExecutor loop) {
    this.epoll = epoll;
    this.loop = loop;
  }

  static IoHandlerFactory factory() {
    IoHandlerFactory epoll = EpollIoHandler.newFactory();
    return new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(ThreadAwareExecutor executor) {
        return new EpollKeepingRegistration(epoll.newHandler(executor), executor);
      }

      @Override
      public boolean isChangingThreadSupported() {
        return epoll.isChangingThreadSupported();
      }
    };
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    return new KeptRegistration(epoll.register(handle), handle);
  }

  @Override
  public void initialize() {
    epoll.initialize();
  }

  @Override
  public int run(IoHandlerContext context) {
    // Before the wait: the interest changes made since the last one, each once.
    for (KeptRegistration next; (next = changed.poll()) != null; ) {
      next.apply();
    }
    return epoll.run(context);
  }

  @Override
  public void prepareToDestroy() {
    epoll.prepareToDestroy();
  }

  @Override
  public void destroy() {
    epoll.destroy();
  }

  @Override
  public void wakeup() {
    epoll.wakeup();
  }

  @Override
  public boolean isCompatible(Class<? extends IoHandle> handleType) {
    return epoll.isCompatible(handleType);
  }

  /**
   * One channel's registration. An empty interest, once added, becomes edge-triggered nothing. Each
   * interest, the first ({@code EPOLL_CTL_ADD}) as the later ones ({@code EPOLL_CTL_MOD}), is not
   * submitted at once but before this loop next waits, and only if it differs from what the kernel
   * has: a spliced connection changes its interest two or three times in one pass of the loop
   * (connected: stop waiting for EPOLLOUT, start reading; end of input: stop reading, stop waiting
   * for RDHUP), and Netty submits a connected channel's interest twice in a row (once as it becomes
   * active, with no read interest yet, and again when its first read is asked). One epoll_ctl each
   * instead; none for a channel closed before the loop waits.
   */
  private final class KeptRegistration implements IoRegistration {
    private static final int NOT_ADDED = -1;

    private final IoRegistration registration;
    private final IoHandle handle;
    // What the kernel has for this descriptor (NOT_ADDED before the first interest and after
    // cancel), and what it is to have before the loop next waits. Only the loop's thread.
    private int submitted = NOT_ADDED;
    private int wanted = NOT_ADDED;
    private boolean queued;

    KeptRegistration(IoRegistration registration, IoHandle handle) {
      this.registration = registration;
      this.handle = handle;
    }

    @Override
    public long submit(IoOps ops) {
      int interest = ((EpollIoOps) ops).value();
      if (interest == EpollIoOps.NONE.value()) {
        if (submitted == NOT_ADDED) {
          // Not in the set: nothing to keep, and an interest still queued is not added.
          wanted = NOT_ADDED;
          return registration.submit(ops);
        }
        interest = EDGE_ONLY.value();
      }
      if (!loop.isExecutorThread(Thread.currentThread())) {
        return submitNow(interest); // the queue is the loop's own
      }
      wanted = interest;
      if (!queued && wanted != submitted) {
        queued = true;
        changed.add(this);
      }
      return interest;
    }

    /** Makes the kernel's interest the one last asked for, if it still differs. */
    void apply() {
      queued = false;
      if (wanted == submitted || wanted == NOT_ADDED || !registration.isValid()) {
        return; // nothing to change, or cancelled meanwhile (the descriptor may be reused)
      }
      try {
        submitNow(wanted);
      } catch (RuntimeException refused) {
        // Submitted at once, the failure would have reached the channel's own code, which closes
        // it; here it is closed directly.
        if (handle instanceof Channel.Unsafe unsafe) {
          unsafe.close(unsafe.voidPromise());
        }
      }
    }

    private long submitNow(int interest) {
      long result = registration.submit(EpollIoOps.valueOf(interest));
      submitted = interest;
      wanted = interest;
      return result;
    }

    @Override
    public <T> T attachment() {
      return registration.attachment();
    }

    @Override
    public boolean isValid() {
      return registration.isValid();
    }

    @Override
    public boolean cancel() {
      submitted = NOT_ADDED;
      closeFirstIfClosing();
      return registration.cancel();
    }

    /**
     * A connection being closed leaves the epoll set by itself when its descriptor is closed. Netty
     * takes it out first all the same ({@code EPOLL_CTL_DEL}, one system call per channel, two per
     * spliced connection), because its cancel cannot tell a close from a deregistration; it skips
     * that call only when the descriptor is already closed. A socket channel that is no longer
     * active but still open is being closed (Netty's {@code doClose} marks it inactive, cancels,
     * then closes the descriptor), so here the descriptor is closed a moment earlier and Netty's
     * cancel sees it closed. Netty's own close of it afterwards does nothing: a descriptor closes
     * once. With SO_LINGER set Netty cancels while the channel is still active: untouched.
     */
    private void closeFirstIfClosing() {
      if (loop.isExecutorThread(Thread.currentThread())
          && handle instanceof Channel.Unsafe unsafe
          && unsafe.voidPromise().channel() instanceof SocketChannel channel
          && channel instanceof UnixChannel unix
          && !channel.isActive()
          && channel.isOpen()) {
        try {
          unix.fd().close();
        } catch (IOException stillOpen) {
          // Then Netty's cancel removes it from the set as usual, and closes it after.
        }
      }
    }
  }
}
