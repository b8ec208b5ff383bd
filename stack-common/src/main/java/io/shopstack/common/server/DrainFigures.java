package io.shopstack.common.server;

/**
 * What draining the connections of a stopping server came to.
 *
 * @param open connections open when the drain began, plus any whose accept was still completing
 * @param drained those that ended by themselves before the deadline
 * @param cut those still open at the deadline, closed by force
 * @param millis how long the drain took
 */
record DrainFigures(int open, int drained, int cut, long millis) {
  static final DrainFigures NONE = new DrainFigures(0, 0, 0, 0);

  @Override
  public String toString() {
    return open
        + " connections open, "
        + drained
        + " drained, "
        + cut
        + " cut in "
        + millis
        + " ms";
  }
}
