package io.shopstack.objectstore.sendfile;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stand-in buffers for regions that a SendfileEndPoint sends from their file: slices of one mapping
 * made once, so a GET costs no {@code mmap}/{@code munmap} pair (and no {@code fstat} of the map
 * call) of its own. A slice only has to count the region's bytes through Jetty's HTTP/1 layer; its
 * content is never read, because the end point recognises the slice by identity and sends the file.
 *
 * <p>The mapping is of a sparse file deleted right after: no disk blocks and no memory are ever
 * committed for it, since nothing reads it. Were a slice ever written the ordinary way, the client
 * would get zeros; so only an end point that sends stand-ins from files gets one (FileBody#of).
 */
final class StandIns {

  /** The largest region one stand-in can stand for. */
  static final int LARGEST = 64 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(StandIns.class);

  /** Null when no temporary file could be made: then every body maps its own region. */
  private static final MappedByteBuffer REGION = map();

  private StandIns() {}

  /**
   * A buffer of {@code length} bytes (at most {@link #LARGEST}), distinct from every other stand-in
   * handed out; empty if there is no shared mapping.
   */
  static Optional<ByteBuffer> of(long length) {
    if (length > LARGEST) {
      throw new IllegalArgumentException(length + " bytes is more than a stand-in holds");
    }
    return REGION == null ? Optional.empty() : Optional.of(REGION.slice(0, (int) length));
  }

  private static MappedByteBuffer map() {
    try {
      Path file = Files.createTempFile("sendfile-stand-in", ".sparse");
      try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
        sparse.setLength(LARGEST);
        return sparse.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, LARGEST);
      } finally {
        Files.delete(file);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("No shared sendfile stand-in ({}): each GET maps its own region", e.toString());
      return null;
    }
  }
}
