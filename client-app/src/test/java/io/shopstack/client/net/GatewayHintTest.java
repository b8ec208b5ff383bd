package io.shopstack.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hint a failed step gets about the gateway in front of what did not answer. */
class GatewayHintTest {
  @TempDir Path captures;

  @Test
  void theNeighbourStateIsTheEntrysLastWord() {
    // `ip neigh show 172.28.1.254` in the north phone with router-north stopped, and running.
    assertThat(GatewayHint.state("172.28.1.254 dev eth0 FAILED \n")).isEqualTo("FAILED");
    assertThat(GatewayHint.state("172.28.1.254 dev eth0 lladdr 02:42:ac:1c:01:fe REACHABLE \n"))
        .isEqualTo("REACHABLE");
    assertThat(GatewayHint.state("")).isEmpty();
  }

  @Test
  void aGatewayIsNamedByTheRouterWhoseLegHasItsAddress() throws Exception {
    Path router = Files.createDirectories(captures.resolve("router-north"));
    Files.writeString(
        router.resolve("legs"),
        "eth0 172.28.0.254/24 02:42:ac:1c:00:fe\neth1 172.28.1.254/24 02:42:ac:1c:01:fe\n");
    assertThat(RouterCaptures.routerAt(captures, "172.28.1.254")).contains("router-north");
    assertThat(RouterCaptures.routerAt(captures, "172.28.1.25")).isEmpty();
  }

  @Test
  void onLoopbackThereIsNoGatewayToBlame() throws Exception {
    // This machine's own kernel: the local topology's resolver is on lo.
    assertThat(GatewayHint.toward(InetAddress.getByName("127.28.0.53"), captures)).isEmpty();
  }
}
