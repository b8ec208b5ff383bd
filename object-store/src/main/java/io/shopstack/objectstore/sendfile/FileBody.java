package io.shopstack.objectstore.sendfile;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response body sent straight from a file: with {@code sendfile(2)} on the connectors {@link
 * #install} prepared, else written from a mapping of the file (still no copy in Java).
 */
public final class FileBody {

  private static final Logger log = LoggerFactory.getLogger(FileBody.class);

  private final FileChannel file;
  private final long first;
  private final MappedByteBuffer standIn;

  private FileBody(FileChannel file, long first, MappedByteBuffer standIn) {
    this.file = file;
    this.first = first;
    this.standIn = standIn;
  }

  /** Makes the server's plain HTTP connectors able to sendfile; call before it starts. */
  public static void install(Server server) {
    SendfileConnector.install(server);
  }

  /**
   * The body of {@code length} bytes of {@code file} from {@code first}. Prepared before the
   * response head is set, so that a failure here leaves the response untouched.
   */
  public static FileBody of(FileChannel file, long first, long length) throws IOException {
    return new FileBody(file, first, file.map(FileChannel.MapMode.READ_ONLY, first, length));
  }

  /**
   * Sends the body as the whole content of {@code response}, whose head must be set. Takes over the
   * file: it is closed once the body is sent or has failed.
   */
  public void send(Request request, Response response, Callback callback) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    SendfileEndPoint sendfile = endPoint instanceof SendfileEndPoint s ? s : null;
    if (sendfile != null) {
      sendfile.sendNext(standIn, file, first);
    }
    response.write(
        true,
        standIn,
        Callback.from(
            () -> {
              release(sendfile, standIn, file);
              MappedRegions.unmap(standIn);
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

  private static void release(
      SendfileEndPoint sendfile, MappedByteBuffer standIn, FileChannel file) {
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
