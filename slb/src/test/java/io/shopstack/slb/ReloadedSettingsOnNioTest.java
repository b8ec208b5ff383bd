package io.shopstack.slb;

/**
 * {@link ReloadedSettingsTest}'s single-frontend cases on NIO, the transport where epoll does not
 * load: one accepting thread and one socket per address, no SO_REUSEPORT (the cases with several
 * frontends write their own files and run again as they are).
 */
class ReloadedSettingsOnNioTest extends ReloadedSettingsTest {
  @Override
  String transport() {
    return "nio";
  }
}
