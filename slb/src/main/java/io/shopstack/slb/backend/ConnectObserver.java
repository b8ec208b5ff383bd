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
      };

  void connected(Backend backend);

  void connectFailed(Backend backend, String reason);
}
