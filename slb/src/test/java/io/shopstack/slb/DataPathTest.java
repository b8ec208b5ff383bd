package io.shopstack.slb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bulk data through the splice: every byte arrives, and a slow end slows the other end down. */
class DataPathTest {
  private static final int MIB = 1024 * 1024;

  private static SlbServer slb(String backend, String transport) throws InterruptedException {
    return new SlbServer(SlbConfigs.inFrontOf(backend).transport(transport).build()).start();
  }

  /** Both transports: epoll once lost the tail of this stream when the client half-closed. */
  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void thirtyTwoMebibytesComeBackByteForByteToASlowReader(String transport) throws Exception {
    try (var echo = TcpBackends.echo();
        SlbServer slb = slb(echo.hostPort(), transport);
        Socket client = new Socket()) {
      InetSocketAddress vip = slb.listenAddresses().get(0);
      client.connect(vip, 1000);
      client.setSoTimeout(10_000);
      long size = 32L * MIB;

      CompletableFuture<Long> sentCrc =
          CompletableFuture.supplyAsync(
              () -> {
                CRC32 crc = new CRC32();
                Random random = new Random(42);
                byte[] chunk = new byte[64 * 1024];
                try {
                  OutputStream out = client.getOutputStream();
                  for (long sent = 0; sent < size; sent += chunk.length) {
                    random.nextBytes(chunk);
                    crc.update(chunk);
                    out.write(chunk);
                  }
                  client.shutdownOutput();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return crc.getValue();
              });

      CRC32 crc = new CRC32();
      long received = 0;
      byte[] buffer = new byte[8192];
      InputStream in = client.getInputStream();
      for (int n; (n = in.read(buffer)) != -1; ) {
        crc.update(buffer, 0, n);
        // A slow reader: pause now and then so the echo path backs up and has to wait.
        if (received / (MIB / 2) != (received + n) / (MIB / 2)) {
          Thread.sleep(2);
        }
        received += n;
      }

      assertThat(received).isEqualTo(size);
      assertThat(crc.getValue()).isEqualTo(sentCrc.get(10, TimeUnit.SECONDS));
    }
  }

  /**
   * The other half-close: the backend finishes first. The client gets all of it and the FIN, and
   * what it sends afterwards still reaches the backend. On epoll the FIN goes out through the
   * socket's own shutdown (Splice.finishSending), on NIO through Netty's shutdownOutput: the same
   * bytes and the same ends on both.
   */
  @ParameterizedTest
  @ValueSource(strings = {"epoll", "nio"})
  void backendThatFinishesFirstStillHearsTheClientToItsEnd(String transport) throws Exception {
    AtomicLong received = new AtomicLong();
    try (var backend = TcpBackends.greetsFirstThenListens(received);
        SlbServer slb = slb(backend.hostPort(), transport);
        Socket client = new Socket()) {
      client.connect(slb.listenAddresses().get(0), 1000);
      client.setSoTimeout(10_000);
      assertThat(TcpBackends.readAll(client.getInputStream())).isEqualTo("hello\n");

      byte[] chunk = new byte[64 * 1024];
      OutputStream out = client.getOutputStream();
      for (int i = 0; i < 16; i++) {
        out.write(chunk);
      }
      client.shutdownOutput();

      await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 16L * chunk.length);
      awaitBothSidesClosed(slb);
    }
  }

  @Test
  void stalledClientStopsTheBackendInsteadOfFillingTheSlb() throws Exception {
    long limit = 256L * MIB;
    AtomicLong sent = new AtomicLong();
    try (var firehose = TcpBackends.firehose(limit, sent);
        SlbServer slb = slb(firehose.hostPort(), "auto")) {
      Socket client = new Socket();
      client.setReceiveBufferSize(64 * 1024);
      client.connect(slb.listenAddresses().get(0), 1000);

      // The client reads nothing. Wait until the backend's writes block.
      long last = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      int quietPolls = 0;
      while (quietPolls < 4 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        long now = sent.get();
        quietPolls = now == last ? quietPolls + 1 : 0;
        last = now;
      }
      // Only kernel socket buffers (a few MiB each, autotuned) hold data; the SLB itself holds at
      // most one chunk per direction. Buffering in the SLB would have let all 256 MiB through.
      assertThat(sent.get()).isPositive().isLessThan(96L * MIB);

      client.close();
      awaitBothSidesClosed(slb);
    }
  }

  /** Both the client's and the backend's side of every splice are closed, as the gauges count. */
  private static void awaitBothSidesClosed(SlbServer slb) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(slb.registry().get("slb_connections_active").gauge().value()).isZero();
              assertThat(slb.registry().get("slb_backend_connections_active").gauge().value())
                  .isZero();
            });
  }
}
