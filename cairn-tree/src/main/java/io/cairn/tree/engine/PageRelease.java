package io.cairn.tree.engine;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Gives the physical memory of an off-heap buffer back to the OS while its addresses stay valid:
 * {@code madvise(MADV_DONTNEED)} through an FFM downcall to libc (no JNI), on Linux. A read of the range afterwards
 * sees zeros and a write faults in a fresh page, so a reader still holding a stale reference reads nothing worse
 * than zeros (which its validation discards), where freeing the memory would make it fault, and closing a shared
 * arena would interrupt it (the JVM's close handshake interrupts a thread it finds accessing the arena, which
 * closes any {@code FileChannel} that thread then uses). Elsewhere it does nothing: the buffer keeps its memory.
 */
final class PageRelease {
    private PageRelease() {}

    private static final int MADV_DONTNEED = 4;
    private static final long PAGE = 4096;
    private static final MethodHandle MADVISE;

    static {
        MethodHandle madvise = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            Linker linker = Linker.nativeLinker();
            madvise = linker.downcallHandle(linker.defaultLookup().findOrThrow("madvise"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT));
        }
        MADVISE = madvise;
    }

    /** Releases the whole pages inside {@code buffer}; returns whether the OS took them. */
    static boolean release(MemorySegment buffer) {
        if (MADVISE == null) {
            return false;
        }
        long start = (buffer.address() + PAGE - 1) & -PAGE;
        long end = (buffer.address() + buffer.byteSize()) & -PAGE;
        if (end <= start) {
            return false;
        }
        try {
            return (int) MADVISE.invokeExact(MemorySegment.ofAddress(start), end - start, MADV_DONTNEED) == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("madvise failed", e);
        }
    }
}
