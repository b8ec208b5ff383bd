package io.shopstack.topology.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as the facts {@code topology.yml} also states, per service: image, address on
 * each network, published ports, environment (anchors and merge keys resolved, as compose does),
 * depends_on with its condition, which service builds the image, the capabilities and kernel
 * settings of the hosts that route, and the volumes (the routers' captures, shared with the
 * phones). {@link #differences} lists every place where the two disagree, one readable line each.
 */
final class ComposeFile {
  /** One compose service, reduced to what the table decides. */
  record Service(
      String image,
      Map<String, String> networks,
      List<String> ports,
      Map<String, String> environment,
      Map<String, String> dependsOn,
      String build,
      List<String> capAdd,
      Map<String, String> sysctls,
      List<String> volumes) {}

  private final Map<String, Service> services = new TreeMap<>();
  private final Map<String, String> subnets = new TreeMap<>();
  private final List<String> volumes = new ArrayList<>();

  @SuppressWarnings("unchecked")
  ComposeFile(String text) {
    Map<String, Object> root = new Yaml().load(text);
    Map<String, Map<String, Object>> declared =
        (Map<String, Map<String, Object>>) root.get("services");
    declared.forEach((name, s) -> services.put(name, service(s)));
    Map<String, Map<String, Object>> networks =
        (Map<String, Map<String, Object>>) root.getOrDefault("networks", Map.of());
    volumes.addAll(
        ((Map<String, Object>) root.getOrDefault("volumes", Map.of())).keySet().stream().toList());
    networks.forEach(
        (name, n) -> {
          Map<String, Object> ipam = (Map<String, Object>) n.getOrDefault("ipam", Map.of());
          List<Map<String, Object>> config =
              (List<Map<String, Object>>) ipam.getOrDefault("config", List.of());
          subnets.put(name, config.isEmpty() ? null : String.valueOf(config.get(0).get("subnet")));
        });
  }

  /** What compose should say for every instance of {@code topology}, by compose service name. */
  static Map<String, Service> expected(Topology topology) {
    Map<String, Service> expected = new TreeMap<>();
    Map<String, String> builders = new LinkedHashMap<>();
    for (Instance i : topology.instances()) {
      if (composeName(i) == null) {
        continue;
      }
      if (i.ours()) {
        builders.putIfAbsent(i.module(), i.name());
      }
      Map<String, String> dependsOn = new TreeMap<>();
      i.after().forEach(a -> dependsOn.put(composeName(topology.instance(a)), "service_healthy"));
      String builder = i.ours() ? builders.get(i.module()) : null;
      boolean builds = i.name().equals(builder);
      if (builder != null && !builds) {
        // Not a runtime need: compose v1 builds an image before the services that only use it
        // when they come after the service that builds it.
        dependsOn.putIfAbsent(composeName(topology.instance(builder)), "service_started");
      }
      expected.put(
          composeName(i),
          new Service(
              i.dockerImage(),
              new TreeMap<>(i.addresses()),
              i.publish(),
              new TreeMap<>(topology.dockerEnv(i)),
              dependsOn,
              builds ? "./" + i.module() : null,
              i.capabilities(),
              new TreeMap<>(i.sysctls()),
              Stream.of(i.capturesMount(), i.pagesMount()).filter(Objects::nonNull).toList()));
    }
    return expected;
  }

  private static String composeName(Instance i) {
    if (i.composeService() != null) {
      return i.composeService();
    }
    return i.onDemand() ? null : i.name();
  }

  /** Every disagreement between this file and {@code topology}, empty when they agree. */
  List<String> differences(Topology topology) {
    List<String> differences = new ArrayList<>();
    for (Network n : topology.networks()) {
      if (!Objects.equals(subnets.get(n.name()), n.subnet())) {
        differences.add(
            "network %s: compose has subnet %s, topology.yml %s"
                .formatted(n.name(), subnets.get(n.name()), n.subnet()));
      }
    }
    Map<String, Service> expected = expected(topology);
    if (!volumes.contains(Instance.CAPTURES_VOLUME)) {
      differences.add("volume " + Instance.CAPTURES_VOLUME + ": mounted, not declared in compose");
    }
    for (String name : services.keySet()) {
      if (!expected.containsKey(name)) {
        differences.add("service " + name + ": in compose, not in topology.yml");
      }
    }
    expected.forEach(
        (name, want) -> {
          Service have = services.get(name);
          if (have == null) {
            differences.add("service " + name + ": in topology.yml, not in compose");
            return;
          }
          compare(differences, name, "image", have.image(), want.image());
          compare(differences, name, "networks", have.networks(), want.networks());
          compare(differences, name, "ports", have.ports(), want.ports());
          compare(differences, name, "environment", have.environment(), want.environment());
          compare(differences, name, "depends_on", have.dependsOn(), want.dependsOn());
          compare(differences, name, "build context", have.build(), want.build());
          compare(differences, name, "cap_add", have.capAdd(), want.capAdd());
          compare(differences, name, "sysctls", have.sysctls(), want.sysctls());
          compare(differences, name, "volumes", have.volumes(), want.volumes());
        });
    return differences;
  }

  private static void compare(
      List<String> differences, String service, String what, Object have, Object want) {
    if (!Objects.equals(have, want)) {
      differences.add(
          "service %s %s:%n    compose:      %s%n    topology.yml: %s"
              .formatted(service, what, have, want));
    }
  }

  @SuppressWarnings("unchecked")
  private static Service service(Map<String, Object> s) {
    Map<String, String> networks = new TreeMap<>();
    Object declared = s.getOrDefault("networks", Map.of());
    if (declared instanceof Map<?, ?> map) {
      map.forEach(
          (net, config) ->
              networks.put(
                  net.toString(),
                  config instanceof Map<?, ?> c ? String.valueOf(c.get("ipv4_address")) : null));
    } else {
      ((List<Object>) declared).forEach(net -> networks.put(net.toString(), null));
    }
    Map<String, String> environment = new TreeMap<>();
    ((Map<Object, Object>) s.getOrDefault("environment", Map.of()))
        .forEach((k, v) -> environment.put(k.toString(), String.valueOf(v)));
    Map<String, String> dependsOn = new TreeMap<>();
    Object deps = s.getOrDefault("depends_on", List.of());
    if (deps instanceof Map<?, ?> map) {
      map.forEach(
          (dep, config) ->
              dependsOn.put(
                  dep.toString(),
                  config instanceof Map<?, ?> c && c.get("condition") != null
                      ? c.get("condition").toString()
                      : "service_started"));
    } else {
      ((List<Object>) deps).forEach(dep -> dependsOn.put(dep.toString(), "service_started"));
    }
    List<String> ports =
        ((List<Object>) s.getOrDefault("ports", List.of())).stream().map(String::valueOf).toList();
    String build = null;
    Object b = s.get("build");
    if (b instanceof Map<?, ?> map) {
      build = String.valueOf(map.get("context"));
    } else if (b != null) {
      build = b.toString();
    }
    List<String> capAdd =
        ((List<Object>) s.getOrDefault("cap_add", List.of()))
            .stream().map(String::valueOf).toList();
    Map<String, String> sysctls = new TreeMap<>();
    ((Map<Object, Object>) s.getOrDefault("sysctls", Map.of()))
        .forEach((k, v) -> sysctls.put(k.toString(), String.valueOf(v)));
    List<String> volumes =
        ((List<Object>) s.getOrDefault("volumes", List.of()))
            .stream().map(String::valueOf).toList();
    return new Service(
        String.valueOf(s.get("image")),
        networks,
        ports,
        environment,
        dependsOn,
        build,
        capAdd,
        sysctls,
        volumes);
  }
}
