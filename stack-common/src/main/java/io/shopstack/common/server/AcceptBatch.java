package io.shopstack.common.server;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

/**
 * How many waiting clients a listening socket takes each time its event loop finds it ready. Netty
 * 4.2's epoll listener means to take up to 16 but stops after the first: its "maybe more to read"
 * guess compares what the last read returned with what it asked for, and an accept returns a
 * descriptor, never the one "byte" asked (the NIO listener takes them all). With a full accept
 * queue the loop then went round (an {@code epoll_wait}, the other ready channels, its tasks) once
 * per client, and the clients waited in the kernel's queue instead of being served. Taking the
 * waiting clients until the queue is empty or the batch is full, as HAProxy's {@code
 * tune.maxaccept} does, lets their backend connects go out together and their completions come back
 * in one turn. Found on the SLB under {@code Connection: close} load; every TCP listener of {@link
 * ServerLifecycle#serverBootstrap} (edge caches, DNS over TCP, admin ports) gets it. A frontend's
 * {@code maxConnections} (the SLB's) still holds: a listener paused in the middle of a batch takes
 * no further client (the loop checks auto-read before each accept).
 */
public final class AcceptBatch {
  /** Netty's intended batch for a listening channel. */
  public static final int CLIENTS_PER_TURN = 16;

  private AcceptBatch() {}

  /** A listening channel's {@code RCVBUF_ALLOCATOR}: accepts until EAGAIN or the batch is full. */
  public static RecvByteBufAllocator allocator() {
    ServerChannelRecvByteBufAllocator allocator = new ServerChannelRecvByteBufAllocator();
    allocator.maxMessagesPerRead(CLIENTS_PER_TURN);
    allocator.respectMaybeMoreData(false);
    return allocator;
  }
}
