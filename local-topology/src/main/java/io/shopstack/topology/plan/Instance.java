package io.shopstack.topology.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One running instance of the journey, as {@code topology.yml} describes it.
 *
 * @param module our service it runs (image {@code shop/<module>:dev}, configuration {@code
 *     <module>.yml}), or null for someone else's image
 * @param image the image of an instance that is not ours (PostgreSQL), else null
 * @param addresses network name to Docker address; the first is where it binds locally
 * @param listens ports it listens on in Docker, {@code 53/udp} or {@code 80/tcp} ({@code 80} is
 *     tcp)
 * @param publish host ports compose publishes, in compose's syntax
 * @param env variables in every mode
 * @param dockerEnv variables in Docker only, over {@code env}
 * @param after instances that must be healthy before this one starts
 * @param onDemand runs once per journey (a phone), not with the stack
 * @param dockerOnly has no local-topology counterpart of its own
 * @param composeService its service name in docker-compose.yml when that is not its name; an
 *     on-demand instance is in the compose file only when it has one
 * @param routes Docker only: destination ({@code default} or a subnet) to the name of the router
 *     instance that forwards it; the host gets the NET_ADMIN capability to set them
 * @param router a region's router: forwards between its networks (no NAT), sets its own routes
 */
public record Instance(
    String name,
    String module,
    String image,
    Map<String, String> addresses,
    List<String> listens,
    List<String> publish,
    Map<String, String> env,
    Map<String, String> dockerEnv,
    List<String> after,
    Boolean onDemand,
    Boolean dockerOnly,
    String composeService,
    Map<String, String> routes,
    Boolean router) {

  /** The name of the one volume of routers' captures, in compose and the Docker suite. */
  public static final String CAPTURES_VOLUME = "captures";

  public Instance {
    Objects.requireNonNull(name, "instance name");
    if ((module == null) == (image == null)) {
      throw new IllegalArgumentException(name + ": give exactly one of module and image");
    }
    if (addresses == null || addresses.isEmpty()) {
      throw new IllegalArgumentException(name + ": no address");
    }
    listens = listens == null ? List.of() : List.copyOf(listens);
    publish = publish == null ? List.of() : List.copyOf(publish);
    env = env == null ? Map.of() : env;
    dockerEnv = dockerEnv == null ? Map.of() : dockerEnv;
    after = after == null ? List.of() : List.copyOf(after);
    // Absent means no: the YAML names only the exceptions.
    onDemand = Boolean.TRUE.equals(onDemand);
    dockerOnly = Boolean.TRUE.equals(dockerOnly);
    routes = routes == null ? Map.of() : routes;
    router = Boolean.TRUE.equals(router);
    if (router && !dockerOnly) {
      throw new IllegalArgumentException(name + ": a router exists in Docker only (dockerOnly)");
    }
  }

  /**
   * The Linux capabilities its container gets beyond Docker's default set: NET_ADMIN to set its
   * routes, and for a router NET_RAW too (tcpdump). Every other container runs without either.
   */
  public List<String> capabilities() {
    if (router) {
      return List.of("NET_ADMIN", "NET_RAW");
    }
    return routes.isEmpty() ? List.of() : List.of("NET_ADMIN");
  }

  /**
   * The routers' captures volume as its container mounts it, in compose's syntax: a router writes
   * its captures of the SYNs it forwards there, a phone reads them (read-only) to show what the
   * routers did to its own connection; null for every other container.
   */
  public String capturesMount() {
    if (router) {
      return CAPTURES_VOLUME + ":/captures";
    }
    return onDemand ? CAPTURES_VOLUME + ":/captures:ro" : null;
  }

  /**
   * Where a phone of the compose demo writes its journey page ({@code --html}): the host folder
   * {@code demo-out} beside the compose file, so the user opens it after the run. Compose only;
   * null for everyone else.
   */
  public String pagesMount() {
    return onDemand ? "./demo-out:/out" : null;
  }

  /** Kernel settings of its container: a router forwards IPv4 packets. */
  public Map<String, String> sysctls() {
    return router ? Map.of("net.ipv4.ip_forward", "1") : Map.of();
  }

  /** Ours: configured by its module's YAML file and the SHOP_* variables. */
  public boolean ours() {
    return module != null;
  }

  public String dockerImage() {
    return ours() ? "shop/" + module + ":dev" : image;
  }

  /** The network it binds on locally and is created on in Docker: the first one listed. */
  public String primaryNetwork() {
    return addresses.keySet().iterator().next();
  }

  /** The TCP ports among {@link #listens}, the ones a test can reach through a mapped port. */
  public List<Integer> tcpPorts() {
    return listens.stream()
        .filter(p -> !p.endsWith("/udp"))
        .map(p -> Integer.parseInt(p.replace("/tcp", "")))
        .toList();
  }
}
