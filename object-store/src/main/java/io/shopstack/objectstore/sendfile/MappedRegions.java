package io.shopstack.objectstore.sendfile;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a stand-in mapping (see SendfileEndPoint) as soon as its response is sent. Left to the
 * garbage collector, mappings of deleted or overwritten blobs would keep their disk space (and the
 * address space) until some collection happens to run, which on a fast path that allocates little
 * can be never.
 */
final class MappedRegions {

  private static final MethodHandle INVOKE_CLEANER = invokeCleaner();

  private MappedRegions() {}

  static void unmap(MappedByteBuffer buffer) {
    if (INVOKE_CLEANER == null || buffer.capacity() == 0) {
      return;
    }
    try {
      INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
    } catch (Throwable e) {
      // not fatal: the collector unmaps it later
    }
  }

  /** sun.misc.Unsafe#invokeCleaner (module jdk.unsupported), the JDK's only explicit unmap. */
  private static MethodHandle invokeCleaner() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field field = unsafeClass.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      return MethodHandles.lookup()
          .findVirtual(
              unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(field.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
