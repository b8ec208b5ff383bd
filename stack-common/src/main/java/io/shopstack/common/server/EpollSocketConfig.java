package io.shopstack.common.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketChannelConfig;
import java.util.Map;

/**
 * The socket settings of a TCP connection on epoll (an accepted client, {@link
 * AcceptedEpollChannel}, or the SLB's backend side), read and written on its socket when asked,
 * never ahead: TCP_NODELAY is on from the start (each write goes out as it comes, as Netty's own
 * channels do by default: set when a backend socket is made, inherited from the listener by an
 * accepted one), nothing is read. Netty's {@code EpollSocketChannelConfig} reads {@code SO_SNDBUF}
 * when a channel is made (to size gathering writes) and its channel reads {@code SO_LINGER} at each
 * close: two system calls per connection that no server of the stack needs. {@code SO_LINGER} is
 * not taken (a lingering close would block the loop, and without Netty's check the close is not
 * moved off it).
 */
public final class EpollSocketConfig extends EpollChannelConfig implements SocketChannelConfig {
  /**
   * An accepted client whose server asks for its first read as soon as it is active, even with
   * auto-read off (the SLB reads a request while it connects the backend, as HAProxy does): its
   * socket joins the epoll set with read interest, as one read on auto-read does ({@link
   * AcceptedEpollChannel#doRegister}). Set it as a {@code childOption} on epoll only.
   */
  public static final ChannelOption<Boolean> READS_AT_ONCE =
      ChannelOption.valueOf(EpollSocketConfig.class, "READS_AT_ONCE");

  /**
   * The largest read, in bytes. Netty's default, 64 KiB, cost the SLB more CPU per byte carried and
   * moved a bulk transfer in coarser steps (a chunk goes on only once it is read whole); HAProxy's
   * 16 KiB cost more still, a read and a write per 16 KiB. One client fetching 512 MiB answers for
   * 10 s, five runs of each build by turns, all three up at once: 64 KiB 1,180 MiB/s and 510 ms of
   * CPU per GiB, 16 KiB 1,237 and 557, 32 KiB 1,301 and 471 (HAProxy, in bench/slb.sh: 454-483 ms
   * per GiB). Netty's pool serves 32 KiB only at full size ({@link BufferPooling}); in its
   * low-memory mode each such read would get a direct buffer of its own. Reads start at Netty's 2
   * KiB and grow to this when they fill their buffer, so a short answer's read is as small as
   * before (new connections: A/B within the noise).
   */
  static final int MAX_READ_BYTES = 32 * 1024;

  private static final int MIN_READ_BYTES = 64;
  private static final int FIRST_READ_BYTES = 2048;

  private volatile boolean allowHalfClosure;
  private volatile boolean readsAtOnce;

  /** The settings of a socket this process made (TCP_NODELAY set here, one system call). */
  public EpollSocketConfig(AbstractEpollStreamChannel channel) {
    this(channel, true);
  }

  private EpollSocketConfig(AbstractEpollStreamChannel channel, boolean setNoDelay) {
    super(
        channel,
        new AdaptiveRecvByteBufAllocator(MIN_READ_BYTES, FIRST_READ_BYTES, MAX_READ_BYTES));
    if (setNoDelay) {
      setTcpNoDelay(true);
    }
  }

  /**
   * The settings of a socket accepted from an {@link EpollListener}, whose {@code TCP_NODELAY} it
   * has already: Linux copies the listening socket's to each socket it accepts, so setting it again
   * would be a system call per connection for nothing.
   */
  static EpollSocketConfig inheritedFromListener(AbstractEpollStreamChannel channel) {
    return new EpollSocketConfig(channel, false);
  }

  @Override
  public Map<ChannelOption<?>, Object> getOptions() {
    return getOptions(
        super.getOptions(),
        ChannelOption.TCP_NODELAY,
        ChannelOption.SO_KEEPALIVE,
        ChannelOption.SO_SNDBUF,
        ChannelOption.SO_RCVBUF,
        ChannelOption.SO_REUSEADDR,
        ChannelOption.IP_TOS,
        ChannelOption.ALLOW_HALF_CLOSURE,
        READS_AT_ONCE);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T getOption(ChannelOption<T> option) {
    Object value;
    if (option == ChannelOption.TCP_NODELAY) {
      value = isTcpNoDelay();
    } else if (option == ChannelOption.SO_KEEPALIVE) {
      value = isKeepAlive();
    } else if (option == ChannelOption.SO_SNDBUF) {
      value = getSendBufferSize();
    } else if (option == ChannelOption.SO_RCVBUF) {
      value = getReceiveBufferSize();
    } else if (option == ChannelOption.SO_REUSEADDR) {
      value = isReuseAddress();
    } else if (option == ChannelOption.IP_TOS) {
      value = getTrafficClass();
    } else if (option == ChannelOption.SO_LINGER) {
      value = getSoLinger();
    } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      value = isAllowHalfClosure();
    } else if (option == READS_AT_ONCE) {
      value = readsAtOnce();
    } else {
      return super.getOption(option);
    }
    return (T) value;
  }

  /** The socket options a bootstrap's {@code childOption} may set, as Netty's config takes them. */
  @Override
  public <T> boolean setOption(ChannelOption<T> option, T value) {
    validate(option, value);
    if (option == ChannelOption.TCP_NODELAY) {
      setTcpNoDelay((Boolean) value);
    } else if (option == ChannelOption.SO_KEEPALIVE) {
      setKeepAlive((Boolean) value);
    } else if (option == ChannelOption.SO_SNDBUF) {
      setSendBufferSize((Integer) value);
    } else if (option == ChannelOption.SO_RCVBUF) {
      setReceiveBufferSize((Integer) value);
    } else if (option == ChannelOption.SO_REUSEADDR) {
      setReuseAddress((Boolean) value);
    } else if (option == ChannelOption.IP_TOS) {
      setTrafficClass((Integer) value);
    } else if (option == ChannelOption.SO_LINGER) {
      setSoLinger((Integer) value);
    } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      setAllowHalfClosure((Boolean) value);
    } else if (option == READS_AT_ONCE) {
      setReadsAtOnce((Boolean) value);
    } else {
      return super.setOption(option, value);
    }
    return true;
  }

  @Override
  public boolean isTcpNoDelay() {
    return read(LinuxSocket::isTcpNoDelay);
  }

  @Override
  public EpollSocketConfig setTcpNoDelay(boolean tcpNoDelay) {
    return write(socket -> socket.setTcpNoDelay(tcpNoDelay));
  }

  @Override
  public int getSoLinger() {
    return read(LinuxSocket::getSoLinger);
  }

  /**
   * Not taken: a lingering close would block the loop, and Netty's close does not defer it here.
   */
  @Override
  public EpollSocketConfig setSoLinger(int soLinger) {
    throw new UnsupportedOperationException("SO_LINGER is not taken on the stack's epoll sockets");
  }

  @Override
  public int getSendBufferSize() {
    return read(LinuxSocket::getSendBufferSize);
  }

  @Override
  public EpollSocketConfig setSendBufferSize(int sendBufferSize) {
    return write(socket -> socket.setSendBufferSize(sendBufferSize));
  }

  @Override
  public int getReceiveBufferSize() {
    return read(LinuxSocket::getReceiveBufferSize);
  }

  @Override
  public EpollSocketConfig setReceiveBufferSize(int receiveBufferSize) {
    return write(socket -> socket.setReceiveBufferSize(receiveBufferSize));
  }

  @Override
  public boolean isKeepAlive() {
    return read(LinuxSocket::isKeepAlive);
  }

  @Override
  public EpollSocketConfig setKeepAlive(boolean keepAlive) {
    return write(socket -> socket.setKeepAlive(keepAlive));
  }

  @Override
  public int getTrafficClass() {
    return read(LinuxSocket::getTrafficClass);
  }

  @Override
  public EpollSocketConfig setTrafficClass(int trafficClass) {
    return write(socket -> socket.setTrafficClass(trafficClass));
  }

  @Override
  public boolean isReuseAddress() {
    return read(LinuxSocket::isReuseAddress);
  }

  @Override
  public EpollSocketConfig setReuseAddress(boolean reuseAddress) {
    return write(socket -> socket.setReuseAddress(reuseAddress));
  }

  @Override
  public EpollSocketConfig setPerformancePreferences(
      int connectionTime, int latency, int bandwidth) {
    return this; // as in the JDK's sockets: a hint TCP on Linux does not use
  }

  @Override
  public boolean isAllowHalfClosure() {
    return allowHalfClosure;
  }

  @Override
  public EpollSocketConfig setAllowHalfClosure(boolean allowHalfClosure) {
    this.allowHalfClosure = allowHalfClosure;
    return this;
  }

  /** See {@link #READS_AT_ONCE}. */
  public boolean readsAtOnce() {
    return readsAtOnce;
  }

  /** See {@link #READS_AT_ONCE}; only before the channel is registered does it change anything. */
  public EpollSocketConfig setReadsAtOnce(boolean readsAtOnce) {
    this.readsAtOnce = readsAtOnce;
    return this;
  }

  @Override
  public EpollSocketConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
    super.setConnectTimeoutMillis(connectTimeoutMillis);
    return this;
  }

  @Override
  @Deprecated
  public EpollSocketConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
    super.setMaxMessagesPerRead(maxMessagesPerRead);
    return this;
  }

  @Override
  public EpollSocketConfig setWriteSpinCount(int writeSpinCount) {
    super.setWriteSpinCount(writeSpinCount);
    return this;
  }

  @Override
  public EpollSocketConfig setAllocator(ByteBufAllocator allocator) {
    super.setAllocator(allocator);
    return this;
  }

  @Override
  public EpollSocketConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
    super.setRecvByteBufAllocator(allocator);
    return this;
  }

  @Override
  public EpollSocketConfig setAutoRead(boolean autoRead) {
    super.setAutoRead(autoRead);
    return this;
  }

  @Override
  public EpollSocketConfig setAutoClose(boolean autoClose) {
    super.setAutoClose(autoClose);
    return this;
  }

  @Override
  public EpollSocketConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
    super.setMessageSizeEstimator(estimator);
    return this;
  }

  @Override
  public EpollSocketConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
    super.setWriteBufferWaterMark(writeBufferWaterMark);
    return this;
  }

  private <T> T read(SocketCalls.Read<T> option) {
    return SocketCalls.read(socket(), option);
  }

  private EpollSocketConfig write(SocketCalls.Write option) {
    SocketCalls.write(socket(), option);
    return this;
  }
}
