package io.shopstack.topology.plan;

import io.shopstack.common.config.ConfigLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The address plan of DESIGN.md as one table ({@code topology.yml}): which instances run, on which
 * addresses, with which variables, in which order. The local topology and the Docker suite both
 * build the stack from it, and the compose file is checked against it, so a new instance or
 * variable is written once.
 */
public record Topology(
    List<Network> networks,
    int adminPort,
    Map<String, String> dockerEnv,
    List<Instance> instances) {

  public static final String RESOURCE = "topology.yml";

  public Topology {
    networks = List.copyOf(networks);
    dockerEnv = dockerEnv == null ? Map.of() : dockerEnv;
    instances = List.copyOf(instances);
    Set<String> networkNames = networks.stream().map(Network::name).collect(Collectors.toSet());
    Set<String> names = new HashSet<>();
    for (Instance i : instances) {
      if (!names.add(i.name())) {
        throw new IllegalArgumentException("instance " + i.name() + " is listed twice");
      }
      for (String network : i.addresses().keySet()) {
        if (!networkNames.contains(network)) {
          throw new IllegalArgumentException(i.name() + ": no network " + network);
        }
      }
    }
    for (Instance i : instances) {
      for (String router : i.routes().values()) {
        gateway(instances, i, router);
      }
      for (String before : i.after()) {
        if (!names.contains(before)) {
          throw new IllegalArgumentException(i.name() + " comes after unknown " + before);
        }
      }
    }
  }

  /** The table shipped with this module. */
  public static Topology load() {
    return ConfigLoader.load(Topology.class, "classpath:" + RESOURCE, Map.of());
  }

  public Instance instance(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("no instance " + name));
  }

  public Optional<Instance> find(String name) {
    return instances.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  public Network network(String name) {
    return networks.stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no network " + name));
  }

  /**
   * The instances that run with the stack, in start waves: every instance comes in the wave after
   * the last of those it must come {@link Instance#after}, so each wave may start all at once.
   */
  public List<List<Instance>> waves() {
    Map<String, Integer> wave = new HashMap<>();
    List<List<Instance>> waves = new ArrayList<>();
    for (Instance i : instances) {
      if (!i.onDemand()) {
        int w = waveOf(i, wave, new ArrayList<>());
        while (waves.size() <= w) {
          waves.add(new ArrayList<>());
        }
        waves.get(w).add(i);
      }
    }
    return waves.stream().map(List::copyOf).toList();
  }

  private int waveOf(Instance i, Map<String, Integer> known, List<String> path) {
    Integer w = known.get(i.name());
    if (w != null) {
      return w;
    }
    if (path.contains(i.name())) {
      throw new IllegalArgumentException("start order loops: " + path + " -> " + i.name());
    }
    path.add(i.name());
    int mine = 0;
    for (String before : i.after()) {
      mine = Math.max(mine, waveOf(instance(before), known, path) + 1);
    }
    path.remove(path.size() - 1);
    known.put(i.name(), mine);
    return mine;
  }

  /**
   * Everything the instance's container gets in Docker, in the order compose lists it; its routes
   * as {@code SHOP_IP_ROUTES} ("DESTINATION=GATEWAY ..."), which the images' entrypoint sets.
   */
  public Map<String, String> dockerEnv(Instance i) {
    Map<String, String> env = new LinkedHashMap<>();
    if (i.ours()) {
      env.putAll(dockerEnv);
    }
    if (i.ours() || i.router()) {
      // A router names its folder of captures after itself.
      env.put("SHOP_INSTANCE", i.name());
    }
    env.putAll(i.env());
    env.putAll(i.dockerEnv());
    if (!i.routes().isEmpty()) {
      env.put("SHOP_IP_ROUTES", ipRoutes(i));
    }
    return env;
  }

  /** The instance's routes with each router's address on a network they share. */
  public String ipRoutes(Instance i) {
    return i.routes().entrySet().stream()
        .map(r -> r.getKey() + "=" + gateway(instances, i, r.getValue()))
        .collect(Collectors.joining(" "));
  }

  /**
   * Where {@code host} hands packets for {@code routerName}: its address on their first shared
   * network.
   */
  private static String gateway(List<Instance> instances, Instance host, String routerName) {
    Instance router =
        instances.stream()
            .filter(r -> r.name().equals(routerName) && r.router())
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        host.name() + " routes through " + routerName + ", which is no router"));
    return host.addresses().keySet().stream()
        .filter(router.addresses()::containsKey)
        .findFirst()
        .map(router.addresses()::get)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    host.name() + " shares no network with its router " + routerName));
  }

  /**
   * The variables that make the instance's YAML file run it in the local topology: its name, its
   * address moved to 127/8 ({@code SHOP_BIND}; a multi-homed instance's datacenter leg is {@code
   * SHOP_BIND_DC}) and its own {@link Instance#env}. Ports stay at the YAML defaults.
   */
  public Map<String, String> localEnv(Instance i) {
    Map<String, String> env = new HashMap<>();
    env.put("SHOP_INSTANCE", i.name());
    env.put("SHOP_BIND", local(i.addresses().get(i.primaryNetwork())));
    String dc = i.addresses().get("datacenter");
    if (dc != null && !i.primaryNetwork().equals("datacenter")) {
      env.put("SHOP_BIND_DC", local(dc));
    }
    env.putAll(i.env());
    return env;
  }

  /** DESIGN.md's local address set: the same last three octets under 127/8. */
  public static String local(String dockerAddress) {
    Objects.requireNonNull(dockerAddress, "address");
    return "127" + dockerAddress.substring(dockerAddress.indexOf('.'));
  }
}
