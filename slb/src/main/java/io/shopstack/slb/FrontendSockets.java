package io.shopstack.slb;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.shopstack.common.server.EpollListener;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.slb.proxy.AcceptFailures;
import io.shopstack.slb.proxy.FrontendLimit;
import io.shopstack.slb.proxy.ProxyInitializer;
import io.shopstack.slb.proxy.SpeculativeReads;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The listening sockets of one frontend, by the listen address each was bound for: on epoll with
 * SO_REUSEPORT, one socket per I/O thread and address, each accepting for its own thread (the
 * kernel spreads new connections over them, and a client is served, its backend connected, on the
 * thread that accepted it: a separate accepting thread cost a wake-up of the serving thread per
 * connection, the dearest part of a short one). A reload binds the addresses it gains before it
 * closes those it lost, and puts a new maxconn on every socket.
 */
public final class FrontendSockets {
  /** The sockets bound for one configured listen address (one per I/O thread on epoll). */
  public record Listening(InetSocketAddress configured, List<Channel> sockets) {}

  private final ServerLifecycle server;
  private final EventLoopGroup workers;
  // The one accepting thread when there is no SO_REUSEPORT, else null.
  private final EventLoopGroup acceptor;
  private final List<EventLoop> loops = new ArrayList<>();
  private final ProxyInitializer splices;
  private final AcceptFailures acceptFailures;
  private final Supplier<FrontendLimit> limit;
  // Replaced whole on each change: read by the admin port and the runtime API's _getsocks.
  private volatile List<Listening> listening = List.of();

  FrontendSockets(
      ServerLifecycle server,
      EventLoopGroup workers,
      EventLoopGroup acceptor,
      ProxyInitializer splices,
      AcceptFailures acceptFailures,
      Supplier<FrontendLimit> limit) {
    this.server = server;
    this.workers = workers;
    this.acceptor = acceptor;
    this.splices = splices;
    this.acceptFailures = acceptFailures;
    this.limit = limit;
    workers.forEach(executor -> loops.add((EventLoop) executor));
  }

  /**
   * Binds every address, or takes over the sockets of it {@code inherited} holds (handed over by
   * the SLB this one replaces).
   *
   * @param accepting false for a frontend a reload adds: its sockets take no client until {@link
   *     #startAccepting} (connections wait in their accept queues meanwhile)
   */
  void open(List<InetSocketAddress> addresses, InheritedListeners inherited, boolean accepting)
      throws InterruptedException {
    List<Listening> opened = new ArrayList<>();
    try {
      for (InetSocketAddress address : addresses) {
        opened.add(listen(address, inherited, accepting));
      }
    } catch (InterruptedException | RuntimeException failed) {
      unbind(opened); // a frontend a reload adds must leave nothing open when it cannot start
      throw failed;
    }
    listening = List.copyOf(opened);
  }

  /** Closes every socket (a reload removed the frontend): the clients accepted are served on. */
  void close() {
    unbind(listening);
  }

  /**
   * Binds one listen address (or takes the replaced SLB's sockets of it over). If one of its
   * sockets cannot be bound, those already bound for it are closed before the failure is thrown.
   */
  private Listening listen(
      InetSocketAddress address, InheritedListeners inherited, boolean accepting)
      throws InterruptedException {
    List<Channel> sockets = new ArrayList<>();
    try {
      if (acceptor != null) {
        sockets.add(server.bind("listener", bootstrap(acceptor, workers, accepting), address));
        return new Listening(address, List.copyOf(sockets));
      }
      InetSocketAddress bound = address;
      for (EventLoop loop : loops) {
        Integer handedOver = inherited.claim(address);
        Channel listener =
            handedOver != null
                ? takeOver(loop, handedOver)
                : server.bind(
                    "listener",
                    bootstrap(loop, loop, accepting).option(EpollChannelOption.SO_REUSEPORT, true),
                    bound);
        sockets.add(listener);
        // Port 0: the siblings join the port the first one was given.
        bound = (InetSocketAddress) listener.localAddress();
      }
      // The replaced SLB had more threads than this one: each of its sockets keeps being served
      // (its queue would be lost when the old one closes), the threads taking them in turn.
      List<Integer> more = inherited.claimRest(address);
      for (int i = 0; i < more.size(); i++) {
        sockets.add(takeOver(loops.get(i % loops.size()), more.get(i)));
      }
      return new Listening(address, List.copyOf(sockets));
    } catch (InterruptedException | RuntimeException failed) {
      sockets.forEach(Channel::close);
      throw failed;
    }
  }

  /** Accepts on {@code loop} from a socket the replaced SLB handed over, bound already. */
  private Channel takeOver(EventLoop loop, int listeningFd) throws InterruptedException {
    return server.register(
        "listener handed over", bootstrap(loop, loop, () -> new EpollListener(listeningFd), true));
  }

  /**
   * A listening socket's bootstrap: the lifecycle's connection tracking, what to do when accepting
   * fails, then the frontend's maxconn if there is one, and reading a batch's clients at once when
   * it emptied the accept queue.
   *
   * @param accepting false for a socket a reload binds: it accepts nothing, and carries no maxconn
   *     (whose resumes would make it accept), until {@link #startAccepting} puts it to use
   */
  private ServerBootstrap bootstrap(
      EventLoopGroup acceptor, EventLoopGroup workers, boolean accepting) {
    return bootstrap(
        acceptor,
        workers,
        new ReflectiveChannelFactory<>(server.transport().serverChannel()),
        accepting);
  }

  private ServerBootstrap bootstrap(
      EventLoopGroup acceptor,
      EventLoopGroup workers,
      ChannelFactory<? extends ServerChannel> channels,
      boolean accepting) {
    ServerBootstrap bootstrap =
        ProxyInitializer.clientOptions(
            server
                .serverBootstrap(acceptor, workers, channels)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, accepting)
                .childHandler(splices),
            server.transport());
    ChannelHandler tracking = bootstrap.config().handler();
    FrontendLimit frontendLimit = accepting ? limit.get() : null;
    bootstrap.handler(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel listener) {
            listener.pipeline().addLast(tracking, acceptFailures);
            if (frontendLimit != null) {
              listener.pipeline().addLast(frontendLimit);
            }
            listener.pipeline().addLast(new SpeculativeReads());
          }
        });
    return bootstrap;
  }

  /**
   * A reload's first step: binds the addresses of {@code next} not listened on yet, not accepting,
   * and changes nothing else; {@link #relisten} puts them to use, {@link #unbind} closes them again
   * when the reload is refused (resetting the clients that connected meanwhile, as a restart
   * would).
   *
   * @throws io.shopstack.common.server.ServerStartException when one cannot be bound; what this
   *     call bound is closed again
   */
  List<Listening> bindAdded(List<InetSocketAddress> next) throws InterruptedException {
    List<Listening> unmatched = new ArrayList<>(listening);
    List<Listening> added = new ArrayList<>();
    try {
      for (InetSocketAddress address : next) {
        Listening kept = matching(unmatched, address);
        if (kept != null) {
          unmatched.remove(kept);
        } else {
          added.add(listen(address, InheritedListeners.none(), false));
        }
      }
    } catch (InterruptedException | RuntimeException failed) {
      unbind(added);
      throw failed;
    }
    return added;
  }

  /** Closes sockets, and waits: once a reload has answered, nothing is accepted there any more. */
  static void unbind(List<Listening> closing) {
    closing.forEach(l -> l.sockets().forEach(s -> s.close().syncUninterruptibly()));
  }

  private static Listening matching(List<Listening> candidates, InetSocketAddress address) {
    return candidates.stream().filter(l -> l.configured().equals(address)).findFirst().orElse(null);
  }

  /**
   * Keeps the sockets of the addresses {@code next} still has, adds those {@link #bindAdded} bound
   * for it, closes the rest. The new ones accept before the old ones close: an address replaced on
   * the same port (a wildcard by the VIP, with SO_REUSEPORT) never refuses a client.
   */
  void relisten(List<InetSocketAddress> next, List<Listening> added) {
    List<Listening> unmatched = new ArrayList<>(listening);
    List<Listening> fresh = new ArrayList<>(added);
    List<Listening> now = new ArrayList<>();
    for (InetSocketAddress address : next) {
      Listening kept = matching(unmatched, address);
      if (kept != null) {
        unmatched.remove(kept);
        now.add(kept);
      } else {
        now.add(fresh.remove(0));
      }
    }
    listening = List.copyOf(now);
    startAccepting(added);
    unbind(unmatched);
  }

  /** Lets sockets bound not accepting take clients, as far as the frontend's maxconn allows. */
  void startAccepting(List<Listening> bound) {
    FrontendLimit now = limit.get();
    for (Listening listening : bound) {
      for (Channel socket : listening.sockets()) {
        // On the socket's loop, and waited for, as a limit's swap (see replaceLimit).
        socket.eventLoop().submit(() -> swap(socket, null, now)).syncUninterruptibly();
      }
    }
  }

  /** Every configured address with its sockets. */
  List<Listening> listening() {
    return listening;
  }

  /**
   * Puts {@code next} (null: none) on every socket in place of {@code old} (null: none). Done on
   * each socket's own loop, and waited for: a handler added from another thread is passed over
   * until its loop has run handlerAdded, so a client accepted in that window would not be counted,
   * and the reload would answer before the limit holds.
   */
  void replaceLimit(FrontendLimit old, FrontendLimit next) {
    for (Channel listener : all()) {
      listener.eventLoop().submit(() -> swap(listener, old, next)).syncUninterruptibly();
    }
  }

  /**
   * On the socket's loop: the clients {@code old} held for it are passed on past the new limit
   * (they were accepted before the reload, as the old process of an HAProxy reload serves its own),
   * and the socket accepts again if {@code old} had paused it and {@code next} has room.
   */
  private static void swap(Channel listener, FrontendLimit old, FrontendLimit next) {
    ChannelPipeline pipeline = listener.pipeline();
    ChannelHandlerContext present = old == null ? null : pipeline.context(old);
    List<Channel> held = present == null ? List.of() : old.releaseHeld(present);
    if (present != null && next != null) {
      pipeline.replace(old, null, next);
    } else if (present != null) {
      pipeline.remove(old);
    } else if (next != null) {
      ChannelHandlerContext speculative = pipeline.context(SpeculativeReads.class);
      if (speculative != null) {
        pipeline.addBefore(speculative.name(), null, next);
      }
    }
    if (next == null) {
      listener.config().setAutoRead(true);
    } else {
      next.accepting(listener);
    }
    ChannelHandlerContext past = pipeline.context(SpeculativeReads.class);
    for (Channel client : held) {
      if (past != null) {
        past.fireChannelRead(client);
      } else {
        pipeline.fireChannelRead(client);
      }
    }
  }

  /** Every listening socket. */
  List<Channel> all() {
    return listening.stream().flatMap(l -> l.sockets().stream()).toList();
  }
}
