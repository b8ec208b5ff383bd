package io.shopstack.common.server;

/**
 * The user event {@link ServerLifecycle#close()} fires down the pipeline of every accepted
 * connection once the listeners are closed: the server is stopping, so a protocol handler should
 * close the connection as soon as it is between two exchanges (an idle HTTP keep-alive connection
 * at once, a busy one after its response). A connection whose handlers ignore it runs on until it
 * ends by itself or the shutdown deadline cuts it, as a TCP splice does under HAProxy's soft-stop.
 */
public final class ShutdownRequested {
  public static final ShutdownRequested INSTANCE = new ShutdownRequested();

  private ShutdownRequested() {}

  @Override
  public String toString() {
    return "ShutdownRequested";
  }
}
