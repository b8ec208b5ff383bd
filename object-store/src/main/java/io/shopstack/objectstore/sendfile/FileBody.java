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

  private FileBody() {}

  /** Makes the server's plain HTTP connectors able to sendfile; call before it starts. */
  public static void install(Server server) {
    SendfileConnector.install(server);
  }

  /**
   * Sends {@code length} bytes of {@code file} from {@code first} as the whole body of {@code
   * response}, whose head must be set. Takes over {@code file}: it is closed once the body is sent
   * or has failed.
   */
  public static void send(
      Request request,
      Response response,
      FileChannel file,
      long first,
      long length,
      Callback callback)
      throws IOException {
    MappedByteBuffer standIn;
    try {
      standIn = file.map(FileChannel.MapMode.READ_ONLY, first, length);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
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
