package io.shopstack.slb.backend;

/**
 * Told the outcome of every connect the data path makes to a backend: real traffic is a health
 * check too (HAProxy's {@code observe layer4}), and it notices a dead backend long before the next
 * active probe when connections are many.
 */
public interface ConnectObserver {
  /** Ignores everything: for pools without checks. */
  ConnectObserver NONE =
      new ConnectObserver() {
        @Override
        public void connected(Backend backend) {}

        @Override
        public void connectFailed(Backend backend, String reason) {}

        @Override
        public void connectTimedOut(Backend backend) {}
      };

  void connected(Backend backend);

  /** Refused or unreachable: nothing listens there, as a killed process's port. */
  void connectFailed(Backend backend, String reason);

  /**
   * No answer within the connect timeout: a dead host, or a live one whose accept queue is full
   * under load; only a probe can tell which.
   */
  void connectTimedOut(Backend backend);
}
