package io.shopstack.objectstore.sendfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response body sent straight from a file: with {@code sendfile(2)} on the connectors {@link
 * #install} prepared (Jetty carries a shared stand-in buffer, see StandIns), else written from a
 * mapping of the file (still no copy in Java).
 */
public final class FileBody {

  /** The largest body one FileBody sends. */
  public static final long LARGEST = StandIns.LARGEST;

  private static final Logger log = LoggerFactory.getLogger(FileBody.class);

  private final FileChannel file;
  private final long first;
  private final ByteBuffer standIn;

  /** A mapping made for this body alone (not a shared stand-in): unmapped once it is sent. */
  private final MappedByteBuffer ownMapping;

  private FileBody(FileChannel file, long first, ByteBuffer standIn, MappedByteBuffer ownMapping) {
    this.file = file;
    this.first = first;
    this.standIn = standIn;
    this.ownMapping = ownMapping;
  }

  /** Makes the server's plain HTTP connectors able to sendfile; call before it starts. */
  public static void install(Server server) {
    SendfileConnector.install(server);
  }

  /**
   * The body of {@code length} bytes (at most {@link #LARGEST}) of {@code file} from {@code first},
   * for {@code request}'s response. Prepared before the response head is set, so that a failure
   * here leaves the response untouched. On a sendfile connection the body travels through Jetty as
   * a shared stand-in; elsewhere as a mapping of the region itself, whose bytes are the file's.
   */
  public static FileBody of(Request request, FileChannel file, long first, long length)
      throws IOException {
    Optional<ByteBuffer> shared =
        sendfileEndPoint(request) != null ? StandIns.of(length) : Optional.empty();
    if (shared.isPresent()) {
      return new FileBody(file, first, shared.get(), null);
    }
    MappedByteBuffer region = file.map(FileChannel.MapMode.READ_ONLY, first, length);
    return new FileBody(file, first, region, region);
  }

  private static SendfileEndPoint sendfileEndPoint(Request request) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    return endPoint instanceof SendfileEndPoint sendfile ? sendfile : null;
  }

  /**
   * Sends the body as the whole content of {@code response}, whose head must be set. Takes over the
   * file: it is closed once the body is sent or has failed.
   */
  public void send(Request request, Response response, Callback callback) {
    SendfileEndPoint sendfile = sendfileEndPoint(request);
    if (sendfile != null) {
      sendfile.sendNext(standIn, file, first);
    }
    response.write(
        true,
        standIn,
        // NON_BLOCKING: when the socket takes the last bytes later, the selector thread finishes
        // the response itself instead of waking a pool thread for these few steps
        Callback.from(
            InvocationType.NON_BLOCKING,
            () -> {
              release(sendfile, standIn, file);
              if (ownMapping != null) {
                MappedRegions.unmap(ownMapping);
              }
              callback.succeeded();
            },
            failure -> {
              // a CDN edge or a client that went away mid-download: routine. The mapping is left
              // to the garbage collector: Jetty may not be done with the buffer yet.
              log.debug(
                  "{} {}: client disconnected: {}",
                  request.getMethod(),
                  request.getHttpURI().getPath(),
                  failure.toString());
              release(sendfile, standIn, file);
              callback.failed(failure);
            }));
  }

  private static void release(SendfileEndPoint sendfile, ByteBuffer standIn, FileChannel file) {
    if (sendfile != null) {
      sendfile.done(standIn);
    }
    try {
      file.close();
    } catch (IOException e) {
      log.debug("closing a sent blob failed", e);
    }
  }
}
