package io.shopstack.slb;

import io.shopstack.common.server.Transport;
import io.shopstack.slb.backend.BackendSpec;
import io.shopstack.slb.backend.BackendState;
import io.shopstack.slb.backend.BalancingPolicies;
import io.shopstack.slb.health.HealthCheck;
import io.shopstack.slb.operations.RuntimeLevel;
import io.shopstack.slb.operations.RuntimeSocket;
import io.shopstack.slb.proxy.ProxyHeader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SLB's configuration, read from {@code slb.yml}. Addresses are {@code host:port} strings
 * ({@code [v6]:port} for IPv6), so the YAML can build them from the shared placeholders.
 *
 * @param instance instance name: metrics tag, thread names, /health
 * @param listen the addresses clients connect to (the VIP and the datacenter-side address);
 *     duplicates and addresses a wildcard on the same port already covers collapse into one bind
 * @param backends the order-service instances, in round-robin order
 * @param admin where /health and /metrics are served
 * @param connectTimeoutMillis how long a backend may take to accept before the next one is tried
 * @param idleTimeoutSeconds a splice with no byte in either direction for this long is closed on
 *     both sides (HAProxy's {@code timeout tunnel}), so silent clients cannot pin backend
 *     connections forever
 * @param shutdownSeconds how long a stopping SLB lets spliced connections run before it cuts them
 *     (HAProxy's {@code hard-stop-after})
 * @param balance how the pool spreads new connections: {@code roundrobin} (weights honoured),
 *     {@code leastconn} or {@code maglev} (consistent hashing on the client address)
 * @param proxyProtocol {@code none}, {@code v1} or {@code v2}: the PROXY header sent to every
 *     backend of the pool ahead of the client's bytes; after v2 optionally HAProxy's {@code
 *     proxy-v2-options} {@code crc32c} and {@code unique-id}, comma-separated ({@code v2
 *     crc32c,unique-id}, see {@link ProxyHeader})
 * @param healthCheck the pool's active health check; none configured means a TCP connect check
 * @param firstByteTimeoutSeconds a client that has sent nothing this long after connecting is
 *     closed, backend side too, so a flood of connections that never speak (slowloris) cannot hold
 *     backend connections for the whole idle timeout; absent means 10
 * @param transport {@code auto} (the default: native epoll where it loads, NIO otherwise), {@code
 *     epoll} (fail to start without it) or {@code nio}
 * @param maxConnections the frontend's {@code maxconn}: client connections served at once over
 *     every listen address together; past it the SLB stops accepting and clients wait in the
 *     kernel's backlog. Absent or 0: no limit
 * @param queueTimeoutMillis how long a client may wait for a backend slot when every backend in
 *     rotation is at its {@code maxconn} (HAProxy's {@code timeout queue}); then it is closed.
 *     Absent means 5000
 * @param accessLog one line per client connection on the {@code io.shopstack.slb.access} logger
 *     (HAProxy's {@code option tcplog}); absent means off, as it costs under load
 * @param runtimeApi {@code host:port}, or {@code unix:PATH} for a Unix socket (which can also hand
 *     the listeners to a replacing SLB), of the runtime API, HAProxy's {@code stats socket}: one
 *     text command a line ({@code add server}, {@code del server}, {@code set server}, {@code show
 *     servers state}, {@code reload}); several, comma-separated, each optionally followed by its
 *     own {@code level L} ({@code unix:/run/slb.sock level admin, 127.0.0.1:9902 level user}), as
 *     HAProxy takes several {@code stats socket} lines; absent or blank means none
 * @param frontends listeners each with a pool of their own (HAProxy's {@code listen} sections);
 *     absent, {@code listen} and {@code backends} above make the one frontend {@value
 *     #DEFAULT_FRONTEND}. With frontends, {@code balance}, {@code proxyProtocol}, {@code
 *     healthCheck}, {@code maxConnections}, the timeouts but {@code shutdownSeconds}, and {@code
 *     accessLog} above are what a frontend that leaves them out takes (HAProxy's {@code defaults}),
 *     and {@code listen} and {@code backends} must stay out. After construction this is always the
 *     resolved list, every key set
 * @param runtimeApiLevel what the runtime API's clients may do, HAProxy's {@code level}: {@code
 *     user} (show), {@code operator} (also set server state and weight) or {@code admin} (also add
 *     and delete servers, reload, hand the listeners over); absent means admin
 */
public record SlbConfig(
    String instance,
    List<String> listen,
    List<String> backends,
    String admin,
    Integer connectTimeoutMillis,
    Integer idleTimeoutSeconds,
    Integer shutdownSeconds,
    String balance,
    String proxyProtocol,
    HealthCheck healthCheck,
    Integer firstByteTimeoutSeconds,
    String transport,
    Integer maxConnections,
    Integer queueTimeoutMillis,
    Boolean accessLog,
    String runtimeApi,
    List<FrontendConfig> frontends,
    String runtimeApiLevel) {

  private static final String UNIX_PREFIX = "unix:";

  /** The name of the frontend a file without {@code frontends} describes at its top level. */
  public static final String DEFAULT_FRONTEND = "shop";

  /** How long a backend may take to accept, as the shipped slb.yml has it. */
  public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 1000;

  /** The default idle timeout, five minutes, as the shipped slb.yml has it. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;

  /** How long a new client may stay silent, as the shipped slb.yml has it. */
  public static final int DEFAULT_FIRST_BYTE_TIMEOUT_SECONDS = 10;

  /** How long a client may wait for a backend slot, as the shipped slb.yml has it. */
  public static final int DEFAULT_QUEUE_TIMEOUT_MILLIS = 5000;

  /** The default shutdown deadline, as the shipped slb.yml has it. */
  public static final int DEFAULT_SHUTDOWN_SECONDS = 5;

  public SlbConfig {
    if (instance == null || instance.isBlank()) {
      throw new IllegalArgumentException("slb: instance must be set");
    }
    boolean ownFrontends = frontends != null && !frontends.isEmpty();
    if (!ownFrontends && (listen == null || listen.isEmpty())) {
      throw new IllegalArgumentException("slb: at least one listen address is needed");
    }
    if (!ownFrontends && (backends == null || backends.isEmpty())) {
      throw new IllegalArgumentException("slb: at least one backend is needed");
    }
    if (ownFrontends
        && ((listen != null && !listen.isEmpty()) || (backends != null && !backends.isEmpty()))) {
      throw new IllegalArgumentException(
          "slb: with frontends, listen and backends go inside each frontend, not at the top");
    }
    if (admin == null) {
      throw new IllegalArgumentException("slb: admin address must be set");
    }
    // Absent keys take the shipped defaults, so a short or older slb.yml still loads.
    connectTimeoutMillis =
        connectTimeoutMillis == null ? DEFAULT_CONNECT_TIMEOUT_MILLIS : connectTimeoutMillis;
    idleTimeoutSeconds =
        idleTimeoutSeconds == null ? DEFAULT_IDLE_TIMEOUT_SECONDS : idleTimeoutSeconds;
    shutdownSeconds = shutdownSeconds == null ? DEFAULT_SHUTDOWN_SECONDS : shutdownSeconds;
    if (connectTimeoutMillis <= 0) {
      throw new IllegalArgumentException("slb: connectTimeoutMillis must be positive");
    }
    if (idleTimeoutSeconds <= 0) {
      throw new IllegalArgumentException("slb: idleTimeoutSeconds must be positive");
    }
    if (shutdownSeconds < 0) {
      throw new IllegalArgumentException("slb: shutdownSeconds must not be negative");
    }
    listen = listen == null ? List.of() : List.copyOf(listen);
    backends = backends == null ? List.of() : List.copyOf(backends);
    balance = balance == null || balance.isBlank() ? "roundrobin" : balance.trim();
    BalancingPolicies.of(balance); // fails early on an unknown name
    proxyProtocol = ProxyHeader.of(proxyProtocol).label();
    healthCheck = healthCheck == null ? HealthCheck.DEFAULT : healthCheck;
    firstByteTimeoutSeconds =
        firstByteTimeoutSeconds == null
            ? DEFAULT_FIRST_BYTE_TIMEOUT_SECONDS
            : firstByteTimeoutSeconds;
    if (firstByteTimeoutSeconds <= 0) {
      throw new IllegalArgumentException("slb: firstByteTimeoutSeconds must be positive");
    }
    transport = Transport.checkedName(transport);
    maxConnections = maxConnections == null ? 0 : maxConnections;
    if (maxConnections < 0) {
      throw new IllegalArgumentException("slb: maxConnections must not be negative");
    }
    queueTimeoutMillis =
        queueTimeoutMillis == null || queueTimeoutMillis == 0
            ? DEFAULT_QUEUE_TIMEOUT_MILLIS
            : queueTimeoutMillis;
    if (queueTimeoutMillis < 0) {
      throw new IllegalArgumentException("slb: queueTimeoutMillis must be positive");
    }
    accessLog = accessLog != null && accessLog;
    runtimeApi = runtimeApi == null || runtimeApi.isBlank() ? null : runtimeApi.trim();
    runtimeApiLevel = RuntimeLevel.of(runtimeApiLevel).label();
    runtimeSockets(runtimeApi, runtimeApiLevel); // fails early on a bad entry
    List<FrontendConfig> declared =
        ownFrontends
            ? frontends
            : List.of(FrontendConfig.takingEveryDefault(DEFAULT_FRONTEND, listen, backends));
    // The record's fields are assigned only after this block: the resolved locals are passed.
    FrontendConfig.Defaults defaults =
        new FrontendConfig.Defaults(
            balance,
            proxyProtocol,
            healthCheck,
            maxConnections,
            connectTimeoutMillis,
            idleTimeoutSeconds,
            firstByteTimeoutSeconds,
            queueTimeoutMillis,
            accessLog);
    List<FrontendConfig> resolved = new ArrayList<>();
    for (FrontendConfig frontend : declared) {
      if (resolved.stream().anyMatch(f -> f.name().equals(frontend.name()))) {
        throw new IllegalArgumentException("slb: two frontends named " + frontend.name());
      }
      resolved.add(frontend.inheriting(defaults));
    }
    frontends = List.copyOf(resolved);
    ListenAddresses.checkNoneShared(frontends);
  }

  /** The frontend of that name, or null. */
  public FrontendConfig frontend(String name) {
    return frontends.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  /** The runtime API's sockets, in the order written; none when {@code runtimeApi} is not set. */
  public List<RuntimeSocket> runtimeSockets() {
    return runtimeSockets(runtimeApi, runtimeApiLevel);
  }

  private static List<RuntimeSocket> runtimeSockets(String text, String defaultLevel) {
    if (text == null) {
      return List.of();
    }
    List<RuntimeSocket> sockets = new ArrayList<>();
    for (String entry : text.split(",")) {
      String[] words = entry.trim().split("\\s+");
      RuntimeLevel level = RuntimeLevel.of(defaultLevel);
      if (words.length == 3 && words[1].equals("level")) {
        level = RuntimeLevel.of(words[2]);
      } else if (words.length != 1 || words[0].isEmpty()) {
        throw new IllegalArgumentException(
            "slb: runtimeApi entry '"
                + entry.trim()
                + "' must be host:port or unix:PATH, optionally followed by level L");
      }
      RuntimeSocket socket;
      if (words[0].startsWith(UNIX_PREFIX)) {
        if (words[0].length() == UNIX_PREFIX.length()) {
          throw new IllegalArgumentException("slb: runtimeApi unix: needs a path");
        }
        socket = new RuntimeSocket(null, Path.of(words[0].substring(UNIX_PREFIX.length())), level);
      } else {
        socket = new RuntimeSocket(address(words[0]), null, level);
      }
      boolean twice =
          sockets.stream()
              .anyMatch(
                  other ->
                      socket.unix() != null
                          ? socket.unix().equals(other.unix())
                          : socket.tcp().getPort() != 0 && socket.tcp().equals(other.tcp()));
      if (twice) {
        throw new IllegalArgumentException("slb: runtimeApi names " + words[0] + " twice");
      }
      sockets.add(socket);
    }
    return List.copyOf(sockets);
  }

  /** The transport to run on, {@code auto} resolved against this system. */
  public Transport ioTransport() {
    return Transport.named(transport, "slb");
  }

  public ProxyHeader proxyHeader() {
    return ProxyHeader.of(proxyProtocol);
  }

  /** The addresses every frontend binds, in order (see {@link FrontendConfig#listenAddresses}). */
  public List<InetSocketAddress> listenAddresses() {
    return frontends.stream().flatMap(f -> f.listenAddresses().stream()).toList();
  }

  /** The backends of every frontend, in order. */
  public List<InetSocketAddress> backendAddresses() {
    return backendSpecs().stream().map(BackendSpec::address).toList();
  }

  /** The backends of every frontend, in order, parsed. */
  public List<BackendSpec> backendSpecs() {
    return frontends.stream().flatMap(f -> f.backendSpecs().stream()).toList();
  }

  /**
   * One backend as written, {@code host:port} with optional {@code weight=N}, {@code maxconn=N},
   * {@code maxqueue=N} and {@code init-state=up|down} after spaces (HAProxy's {@code server ...
   * weight N maxconn N maxqueue N init-state S}); the weight defaults to 1, maxconn and maxqueue to
   * 0, no limit.
   */
  static BackendSpec backendSpec(String text) {
    String[] parts = text.trim().split("\\s+");
    int weight = 1;
    int maxconn = 0;
    int maxqueue = 0;
    BackendState initState = null;
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].startsWith("weight=")) {
        weight = number(parts[i], text);
      } else if (parts[i].startsWith("maxconn=")) {
        maxconn = number(parts[i], text);
      } else if (parts[i].startsWith("maxqueue=")) {
        maxqueue = number(parts[i], text);
      } else if (parts[i].startsWith("init-state=")) {
        initState = initState(parts[i].substring("init-state=".length()), text);
      } else {
        throw new IllegalArgumentException("slb: unknown backend option '" + parts[i] + "'");
      }
    }
    return new BackendSpec(address(parts[0]), weight, maxconn, maxqueue, initState);
  }

  /** HAProxy's {@code init-state up|down}: in rotation at once, or after {@code rise} checks. */
  public static BackendState initState(String value, String text) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "up" -> BackendState.UP;
      case "down" -> BackendState.DOWN;
      default ->
          throw new IllegalArgumentException(
              "slb: init-state must be up or down in '" + text + "'");
    };
  }

  private static int number(String option, String text) {
    try {
      return Integer.parseInt(option.substring(option.indexOf('=') + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("slb: bad number in '" + text + "'", e);
    }
  }

  public InetSocketAddress adminAddress() {
    return address(admin);
  }

  public Duration shutdownDeadline() {
    return Duration.ofSeconds(shutdownSeconds);
  }

  /** Reads {@code host:port} ({@code [v6]:port}); refused unless it resolves. */
  public static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("slb: expected host:port, got '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("slb: bad port in '" + hostPort + "'", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("slb: port out of range in '" + hostPort + "'");
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("slb: cannot resolve host in '" + hostPort + "'");
    }
    return address;
  }
}
