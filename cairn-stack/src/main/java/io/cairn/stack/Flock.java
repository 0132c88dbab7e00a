package io.cairn.stack;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * BSD {@code flock(2)} through an FFM downcall to libc (no JNI), on a descriptor of its own opened with
 * {@code open(2)}.
 *
 * <p>Why: Java's {@code FileChannel.lock} is a POSIX {@code fcntl} lock, and the reference bstack (Rust and C)
 * takes {@code flock(LOCK_EX|LOCK_NB)}. On Linux the two kinds are independent, so without this a Cairn writer and
 * a reference writer could open one file at once. A flock belongs to the open file description, not to the
 * process, so unlike an fcntl lock it is not dropped when some other descriptor of the file is closed.
 *
 * <p>Available on Linux and macOS; elsewhere (Windows) {@link #AVAILABLE} is false and the channel lock alone is
 * taken, which there is {@code LockFileEx}, as the reference's.
 */
final class Flock {
    private Flock() {}

    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int O_RDONLY = 0;
    private static final int EINTR = 4;

    private static final boolean MAC = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    /** {@code O_CLOEXEC}: the descriptor must not leak into processes the JVM starts. */
    private static final int O_CLOEXEC = MAC ? 0x1000000 : 0x80000;
    /** {@code EWOULDBLOCK} (= {@code EAGAIN}): the lock is held elsewhere. */
    private static final int EWOULDBLOCK = MAC ? 35 : 11;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN;
    private static final MethodHandle FLOCK;
    private static final MethodHandle CLOSE;
    /** Whether this platform has flock; when false, {@link #open} and the rest must not be called. */
    static final boolean AVAILABLE;

    static {
        MethodHandle open = null;
        MethodHandle flock = null;
        MethodHandle close = null;
        if (LINUX || MAC) {
            Linker linker = Linker.nativeLinker();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            var libc = linker.defaultLookup();
            open = linker.downcallHandle(libc.findOrThrow("open"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno);
            flock = linker.downcallHandle(libc.findOrThrow("flock"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
            close = linker.downcallHandle(libc.findOrThrow("close"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
        }
        OPEN = open;
        FLOCK = flock;
        CLOSE = close;
        AVAILABLE = open != null;
    }

    /** Opens {@code path} read-only for locking; returns the descriptor. The file must exist. */
    static int open(Path path) throws IOException {
        Result r = call((arena, state) -> (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()),
                O_RDONLY | O_CLOEXEC));
        if (r.value() < 0) {
            throw new IOException("cannot open " + path + " for its flock: errno " + r.errno());
        }
        return r.value();
    }

    /**
     * Tries {@code flock(fd, LOCK_SH|LOCK_NB)} or {@code LOCK_EX|LOCK_NB}; returns false, at once, if another open
     * file description holds a conflicting lock.
     */
    static boolean tryLock(int fd, boolean shared, Path path) throws IOException {
        int operation = (shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
        while (true) {
            Result r = call((arena, state) -> (int) FLOCK.invokeExact(state, fd, operation));
            if (r.value() == 0) {
                return true;
            }
            if (r.errno() == EWOULDBLOCK) {
                return false;
            }
            if (r.errno() != EINTR) {
                throw new IOException("flock of " + path + " failed: errno " + r.errno());
            }
        }
    }

    /** Closes the descriptor, which releases its flock. */
    static void close(int fd, Path path) throws IOException {
        Result r = call((arena, state) -> (int) CLOSE.invokeExact(state, fd));
        if (r.value() != 0) {
            throw new IOException("closing the flock descriptor of " + path + " failed: errno " + r.errno());
        }
    }

    /** A libc call's return value and, when it is negative, the errno it left. */
    private record Result(int value, int errno) {}

    @FunctionalInterface
    private interface Downcall {
        int invoke(Arena arena, MemorySegment errnoState) throws Throwable;
    }

    private static Result call(Downcall downcall) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int value = downcall.invoke(arena, state);
            return new Result(value, value < 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("libc downcall failed", t);
        }
    }
}
