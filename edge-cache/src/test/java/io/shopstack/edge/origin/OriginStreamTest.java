package io.shopstack.edge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The memory bound of a relayed body: a reader that falls behind pauses the origin, catching up
 * resumes it, and taken chunks are not kept; a body kept whole for the cache is read at full speed.
 */
class OriginStreamTest {
  /** Records what the stream asks of the origin connection. */
  private static final class RecordedFlow implements OriginStream.Flow {
    final List<String> calls = new ArrayList<>();

    @Override
    public void pause() {
      calls.add("pause");
    }

    @Override
    public void resume() {
      calls.add("resume");
    }

    @Override
    public void cancel() {
      calls.add("cancel");
    }
  }

  private final RecordedFlow flow = new RecordedFlow();
  private final OriginStream stream =
      new OriginStream(HttpResponseStatus.OK, new DefaultHttpHeaders(), 0, 0, flow);

  private void append(int bytes) {
    ByteBuf chunk = Unpooled.wrappedBuffer(new byte[bytes]);
    stream.append(chunk);
    chunk.release();
  }

  @Test
  void aRelayedBodyPausesTheOriginWhenTheReaderFallsBehindAndResumesWhenItCatchesUp() {
    stream.keepWholeUpTo(0);
    OriginStream.Reader reader = stream.join();

    for (int i = 0; i < 16; i++) {
      append(64 << 10); // exactly the high-water mark: not yet over it
    }
    assertThat(flow.calls).isEmpty();
    append(1);
    assertThat(flow.calls).containsExactly("pause");

    OriginStream.Batch batch = stream.take(reader);

    assertThat(batch.chunks()).hasSize(17);
    assertThat(flow.calls).containsExactly("pause", "resume");
    assertThat(stream.keepsWhole()).isFalse();
    assertThat(stream.join()).as("nobody can start a relayed body from its first byte").isNull();
  }

  @Test
  void aBodyKeptWholeIsNeverPausedAndLateReadersGetItFromTheStart() {
    stream.keepWholeUpTo(4 << 20);
    stream.join();

    for (int i = 0; i < 40; i++) {
      append(64 << 10);
    }
    stream.complete();
    OriginStream.Reader late = stream.join();

    assertThat(flow.calls).isEmpty();
    assertThat(stream.take(late).chunks()).hasSize(40);
    assertThat(stream.whole().body()).hasSize(40 * (64 << 10));
  }

  @Test
  void aBodyThatOutgrowsTheStoreLimitIsRelayedAndTheLastReaderLeavingCancelsIt() {
    stream.keepWholeUpTo(100);
    OriginStream.Reader reader = stream.join();

    append(101);
    stream.leave(reader);

    assertThat(stream.keepsWhole()).isFalse();
    assertThat(flow.calls).containsExactly("cancel");
    assertThat(stream.finished()).isCompletedExceptionally();
  }
}
