package io.shopstack.common.server;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.Native;
import io.netty.util.concurrent.ThreadAwareExecutor;

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

  private EpollKeepingRegistration(IoHandler epoll) {
    this.epoll = epoll;
  }

  static IoHandlerFactory factory() {
    IoHandlerFactory epoll = EpollIoHandler.newFactory();
    return new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(ThreadAwareExecutor executor) {
        return new EpollKeepingRegistration(epoll.newHandler(executor));
      }

      @Override
      public boolean isChangingThreadSupported() {
        return epoll.isChangingThreadSupported();
      }
    };
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    return new KeptRegistration(epoll.register(handle));
  }

  @Override
  public void initialize() {
    epoll.initialize();
  }

  @Override
  public int run(IoHandlerContext context) {
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
   * One channel's registration; empty interest, once added, becomes edge-triggered nothing, and an
   * interest the kernel already has is not submitted again.
   */
  private static final class KeptRegistration implements IoRegistration {
    private static final int NOT_ADDED = -1;

    private final IoRegistration registration;
    // What the kernel has for this descriptor, or NOT_ADDED. Only the channel's event loop
    // submits; volatile for the odd read from elsewhere.
    private volatile int submitted = NOT_ADDED;

    KeptRegistration(IoRegistration registration) {
      this.registration = registration;
    }

    @Override
    public long submit(IoOps ops) {
      EpollIoOps interest = (EpollIoOps) ops;
      if (interest.value() == EpollIoOps.NONE.value()) {
        if (submitted == NOT_ADDED) {
          // Not in the set yet: nothing to keep.
          return registration.submit(ops);
        }
        interest = EDGE_ONLY;
      }
      if (interest.value() == submitted) {
        // Netty submits a connected channel's interest twice in a row (once clearing EPOLLOUT,
        // once more as it becomes active): the second epoll_ctl would change nothing.
        return interest.value();
      }
      long result = registration.submit(interest);
      submitted = interest.value();
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
      return registration.cancel();
    }
  }
}
