package io.shopstack.slb.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The frontend's {@code maxconn}, as HAProxy's: at most that many client connections are served at
 * once, over every listening socket together. Past it the SLB stops accepting, so further clients
 * wait in the kernel's accept backlog, their connection established but not yet served, and are
 * taken in order as served ones close; none is refused. Sits on each listening socket, before the
 * handler that hands accepted connections to the workers: a connection accepted in the same batch
 * after the limit was reached is held here (not yet registered, nothing read) until a slot frees,
 * so the limit holds exactly.
 */
@Sharable
public final class FrontendLimit extends ChannelInboundHandlerAdapter {
  private record Held(ChannelHandlerContext listener, Channel client) {}

  private final int maxConnections;
  private final List<Channel> listeners = new CopyOnWriteArrayList<>();
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private int open; // guarded by this
  private boolean paused; // guarded by this

  public FrontendLimit(int maxConnections) {
    if (maxConnections <= 0) {
      throw new IllegalArgumentException("maxconn must be positive, got " + maxConnections);
    }
    this.maxConnections = maxConnections;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    synchronized (this) {
      listeners.add(ctx.channel());
      if (paused) {
        // A socket that joins a limit already reached (an address a reload added, or this limit
        // put in place of another) must not accept past it: pause() acts only on a change.
        ctx.channel().config().setAutoRead(false);
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object accepted) {
    Channel client = (Channel) accepted;
    boolean admit;
    synchronized (this) {
      admit = open < maxConnections && held.isEmpty();
      if (admit) {
        open++;
      } else {
        held.addLast(new Held(ctx, client));
        pause();
      }
    }
    if (admit) {
      admit(ctx, client);
    }
  }

  private void admit(ChannelHandlerContext listener, Channel client) {
    client.closeFuture().addListener(closed -> released());
    listener.fireChannelRead(client);
  }

  private void released() {
    Held next;
    synchronized (this) {
      open--;
      next = held.pollFirst();
      if (next != null) {
        open++;
      } else if (paused && open < maxConnections) {
        paused = false;
        listeners.forEach(l -> l.config().setAutoRead(true));
      }
    }
    if (next != null) {
      next.listener().executor().execute(() -> admit(next.listener(), next.client()));
    }
  }

  private void pause() {
    if (!paused) {
      paused = true;
      listeners.forEach(l -> l.config().setAutoRead(false));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    // A stopping listener: the clients it held past the limit were accepted, and a stopping SLB
    // serves what it accepted (they finish within the drain, as HAProxy's soft stop lets its
    // connections finish). Let them through now, over the limit by at most one accept batch: once
    // the listener is gone its pipeline, which hands clients to their event loops, is gone too.
    // Closing them instead reset clients a replacing SLB would have served (ListenerHandoverTest).
    letHeldThrough(ctx);
    ctx.fireChannelInactive();
  }

  /** Taken off the listener (it closed, or a reload put another limit in its place). */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    synchronized (this) {
      listeners.remove(ctx.channel());
    }
  }

  private void letHeldThrough(ChannelHandlerContext ctx) {
    releaseHeld(ctx).forEach(ctx::fireChannelRead);
  }

  /**
   * The clients held for {@code listener}, now counted as served by this limit (their closes free
   * its slots), for the caller to pass on: a closing listener lets them through, and a reload that
   * puts another limit in this one's place passes them past it, as they were accepted before it.
   */
  public List<Channel> releaseHeld(ChannelHandlerContext listener) {
    List<Channel> released = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Held> i = held.iterator(); i.hasNext(); ) {
        Held h = i.next();
        if (h.listener() == listener) {
          i.remove();
          open++;
          released.add(h.client());
        }
      }
    }
    released.forEach(client -> client.closeFuture().addListener(closed -> released()));
    return released;
  }

  /**
   * Lets {@code listener} accept (a reload's new socket, now in use) unless the limit is reached.
   */
  public synchronized void accepting(Channel listener) {
    if (!paused) {
      listener.config().setAutoRead(true);
    }
  }

  /** Client connections being served now. */
  public synchronized int open() {
    return open;
  }

  /** Accepted connections waiting for a slot inside the SLB (the rest wait in the kernel). */
  public synchronized int held() {
    return held.size();
  }

  /** Whether accepting is paused because the limit is reached. */
  public synchronized boolean paused() {
    return paused;
  }
}
