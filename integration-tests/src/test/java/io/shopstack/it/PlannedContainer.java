package io.shopstack.it;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.shopstack.topology.plan.Instance;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * A container on its addresses of the plan, on every network it has one on, as compose puts it:
 * created on its first network with its fixed address, then connected to the others (the
 * multi-homed slb, dc-cache, object-store, edges and routers) with theirs before it starts, so the
 * service finds every leg up when it binds; with the capabilities and kernel settings the table
 * gives the hosts that route, and the routers' captures volume mounted as the table says (written
 * by the routers, read-only in the phones).
 */
final class PlannedContainer extends GenericContainer<PlannedContainer> {
  private final Instance instance;
  private final Map<String, Network> networks;

  /**
   * @param capturesVolume the Docker volume that stands for the table's {@value
   *     Instance#CAPTURES_VOLUME} in this run
   */
  PlannedContainer(Instance instance, Map<String, Network> networks, String capturesVolume) {
    super(instance.dockerImage());
    this.instance = instance;
    this.networks = networks;
    String first = instance.primaryNetwork();
    withNetwork(networks.get(first));
    withCreateContainerCmdModifier(
        cmd -> {
          cmd.withIpv4Address(instance.addresses().get(first));
          // A host with routes may set them, a router may also forward and capture; no one else
          // gets a capability beyond Docker's default set.
          cmd.getHostConfig()
              .withCapAdd(
                  instance.capabilities().stream()
                      .map(Capability::valueOf)
                      .toArray(Capability[]::new))
              .withSysctls(instance.sysctls());
          String mount = instance.capturesMount();
          if (mount != null) {
            // "captures:/captures[:ro]" with this run's volume for the table's name.
            cmd.getHostConfig()
                .withBinds(Bind.parse(capturesVolume + mount.substring(mount.indexOf(':'))));
          }
        });
  }

  @Override
  protected void containerIsCreated(String containerId) {
    instance
        .addresses()
        .forEach(
            (network, address) -> {
              if (!network.equals(instance.primaryNetwork())) {
                DockerClientFactory.instance()
                    .client()
                    .connectToNetworkCmd()
                    .withNetworkId(networks.get(network).getId())
                    .withContainerId(containerId)
                    .withContainerNetwork(
                        new ContainerNetwork()
                            .withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(address)))
                    .exec();
              }
            });
  }
}
