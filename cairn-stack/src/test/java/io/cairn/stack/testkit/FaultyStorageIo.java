package io.cairn.stack.testkit;

import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fault-injecting {@link StorageIo} for tests, shared with the other modules through cairn-stack's test-jar.
 *
 * <p>It wraps a delegate (the real file system by default) and can fail or tear the Nth write, fail the Nth
 * force, and simulate a power loss ({@link #crash()}) that drops everything not covered by a successful force.
 * Writes and truncates both count as writes. Counters include failed calls; calls on handles killed by a crash
 * are rejected before they are counted.
 *
 * <p>Crash simulation keeps, per file, an undo log of what every write or truncate since the file's last
 * successful force overwrote (the old bytes and the old size); a crash replays it backwards. A force through
 * any handle of a file clears that file's log, as fdatasync does for every descriptor of the file. Directory
 * operations ({@link #atomicMove}, {@link #deleteIfExists}, {@link #syncDirectory}) pass straight through (unless
 * one is {@linkplain #failDirectoryOperation scheduled to fail}) and are treated as durable at once: this simulates lost file data, not lost directory entries. A file deleted
 * outside this io is not resurrected by a crash, and one created again starts a new history; but a file rewritten
 * outside this io while it has un-forced writes through it would be rolled back over: use a fresh io per case.
 */
public final class FaultyStorageIo implements StorageIo {
    private final StorageIo delegate;

    /** Guards the counters, the fault schedule, the file table and the crash generation. */
    private final Object lock = new Object();
    private long writes;
    private long forces;
    private long failWriteAt;
    private long tearWriteAt;
    private long failForceAt;
    private long killWriteAt;
    private long directoryOperations;
    private long failDirectoryOperationAt;
    private int atomicBlock = 1;
    private long generation;
    private final Map<Path, FileState> files = new HashMap<>();
    private final List<FaultyFile> openHandles = new ArrayList<>();

    /** Wraps the real file system. */
    public FaultyStorageIo() {
        this(StorageIo.fileSystem());
    }

    /** Wraps {@code delegate}. */
    public FaultyStorageIo(StorageIo delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Wraps the real file system with its fdatasync and directory fsync skipped: this io still counts forces and
     * decides what a simulated {@link #crash()} keeps, so crash semantics are unchanged, while tests that run
     * thousands of faulted operations do not wait for the disk.
     */
    public static FaultyStorageIo withoutRealSyncs() {
        return new FaultyStorageIo(new UnsyncedStorageIo());
    }

    /** The {@code n}-th write or truncate from now (1-based) throws {@link IOException} and changes nothing. */
    public void failWrite(long n) {
        synchronized (lock) {
            failWriteAt = writes + requirePositive(n);
        }
    }

    /**
     * The {@code n}-th write or truncate from now (1-based) changes only a strict prefix and then throws
     * {@link IOException}: a write stores about half of its bytes (at least one fewer than asked; whole blocks
     * only, see {@link #atomicWriteBlock}), a truncate changes nothing.
     */
    public void tearWrite(long n) {
        synchronized (lock) {
            tearWriteAt = writes + requirePositive(n);
        }
    }

    /**
     * Declares that the simulated storage writes aligned blocks of {@code size} bytes atomically, as disks do their
     * sectors and as Linux does a page when a signal interrupts a write: from now on a torn write stores a prefix
     * that ends on a block boundary (the last one at or before its middle, else the first inside it), and a write
     * inside one block cannot tear, so it fails whole, writing nothing. A {@link io.cairn.stack.BStack} 0.4 file
     * relies on 256-byte blocks (its header writes and single-block writes are never journaled): fault tests of
     * anything stored in one should declare {@code atomicWriteBlock(256)}. The default, 1, tears anywhere: a torn
     * write stores about half of its bytes.
     */
    public void atomicWriteBlock(int size) {
        if (size < 1 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two of at least 1: " + size);
        }
        synchronized (lock) {
            atomicBlock = size;
        }
    }

    /**
     * The {@code n}-th write from now (1-based) is torn as by {@link #tearWrite} and the process dies in it: every
     * handle dies at once, as by {@link #kill()}, so nothing the process tries afterwards (a rollback, say) reaches
     * the files. What a SIGKILL in the middle of a large write leaves.
     */
    public void killDuringWrite(long n) {
        synchronized (lock) {
            killWriteAt = writes + requirePositive(n);
        }
    }

    /** The {@code n}-th force from now (1-based) throws {@link IOException} and makes nothing newly durable. */
    public void failForce(long n) {
        synchronized (lock) {
            failForceAt = forces + requirePositive(n);
        }
    }

    /**
     * The {@code n}-th directory operation from now (1-based: {@link #atomicMove}, {@link #deleteIfExists} or
     * {@link #syncDirectory}) throws {@link IOException} and changes nothing.
     */
    public void failDirectoryOperation(long n) {
        synchronized (lock) {
            failDirectoryOperationAt = directoryOperations + requirePositive(n);
        }
    }

    /** Cancels every scheduled fault. */
    public void clearFaults() {
        synchronized (lock) {
            failWriteAt = 0;
            tearWriteAt = 0;
            failForceAt = 0;
            killWriteAt = 0;
            failDirectoryOperationAt = 0;
        }
    }

    /** Directory operations attempted since creation, failed ones included. */
    public long directoryOperations() {
        synchronized (lock) {
            return directoryOperations;
        }
    }

    /** Counts a directory operation; throws if it is the one scheduled to fail. */
    private void directoryOperation(String what, Path path) throws IOException {
        synchronized (lock) {
            if (++directoryOperations == failDirectoryOperationAt) {
                failDirectoryOperationAt = 0;
                throw new IOException("injected failure of directory operation #" + directoryOperations + " ("
                        + what + " " + path + ")");
            }
        }
    }

    /** Writes and truncates attempted since creation, failed ones included. */
    public long writes() {
        synchronized (lock) {
            return writes;
        }
    }

    /** Forces attempted since creation, failed ones included. */
    public long forces() {
        synchronized (lock) {
            return forces;
        }
    }

    /**
     * Simulates a power loss: every file opened through this io goes back to its content and size at its last
     * successful force (or at its first open if never forced), and every handle opened before now throws
     * {@link IOException} on any call but {@code close()}. The OS handles are released, so files can be
     * reopened through this io at once.
     */
    public void crash() throws IOException {
        synchronized (lock) {
            killHandles();
            for (FileState state : files.values()) {
                state.rollBack(delegate);
            }
        }
    }

    /**
     * Simulates a process crash (SIGKILL): every handle opened before now dies as in {@link #crash()}, but every
     * write so far stays, forced or not, as the page cache keeps it, including the prefix a torn write left. So a
     * torn write followed by {@code kill()} is a process killed in the middle of a write. (What was not forced is
     * still lost by a later {@link #crash()}.)
     */
    public void kill() throws IOException {
        synchronized (lock) {
            killHandles(); // what was not forced stays undoable: a later crash() still loses it
        }
    }

    private void killHandles() throws IOException {
        generation++;
        for (FaultyFile handle : openHandles) {
            handle.inner.close();
        }
        openHandles.clear();
    }

    /**
     * A view of this io for one simulated process: it works as this io does until the next {@link #crash()} or
     * {@link #kill()}, and from then on every call through it fails (opens, renames, deletes and directory syncs as
     * well as the handles), as the calls of a dead process would. A test that crashes a store whose background
     * threads live on (a checkpointer, a log flusher) opens each incarnation of the store through its own view, so
     * those threads cannot create or change a file after the crash.
     */
    public StorageIo process() {
        synchronized (lock) {
            return new ProcessView(generation);
        }
    }

    /** See {@link #process()}: each call checks, under the io's lock, that no crash happened since it was made. */
    private final class ProcessView implements StorageIo {
        private final long born;

        ProcessView(long born) {
            this.born = born;
        }

        private void checkAlive() throws IOException {
            if (generation != born) {
                throw new IOException("simulated crash: the process that used this io is dead");
            }
        }

        @Override
        public StorageFile open(Path path, OpenMode mode) throws IOException {
            synchronized (lock) {
                checkAlive();
                return FaultyStorageIo.this.open(path, mode);
            }
        }

        @Override
        public StorageFile openLocked(Path path, OpenMode mode) throws IOException {
            synchronized (lock) {
                checkAlive();
                return FaultyStorageIo.this.openLocked(path, mode);
            }
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            synchronized (lock) {
                checkAlive();
                FaultyStorageIo.this.syncDirectory(directory);
            }
        }

        @Override
        public void atomicMove(Path source, Path target) throws IOException {
            synchronized (lock) {
                checkAlive();
                FaultyStorageIo.this.atomicMove(source, target);
            }
        }

        @Override
        public boolean deleteIfExists(Path path) throws IOException {
            synchronized (lock) {
                checkAlive();
                return FaultyStorageIo.this.deleteIfExists(path);
            }
        }
    }

    @Override
    public StorageFile open(Path path, OpenMode mode) throws IOException {
        return track(path, () -> delegate.open(path, mode));
    }

    @Override
    public StorageFile openLocked(Path path, OpenMode mode) throws IOException {
        return track(path, () -> delegate.openLocked(path, mode));
    }

    @FunctionalInterface
    private interface Opener {
        StorageFile open() throws IOException;
    }

    /** Opens a file through the delegate and wraps it in a handle that records and injects faults. */
    private StorageFile track(Path path, Opener opener) throws IOException {
        synchronized (lock) {
            // A file deleted behind this io's back and created again starts a new history.
            boolean existed = Files.exists(path);
            StorageFile inner = opener.open();
            try {
                FileState state = existed ? files.get(key(path)) : null;
                if (state == null) {
                    state = new FileState(path);
                    files.put(key(path), state);
                }
                FaultyFile handle = new FaultyFile(inner, state, generation);
                openHandles.add(handle);
                return handle;
            } catch (RuntimeException e) {
                inner.close();
                throw e;
            }
        }
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        directoryOperation("syncDirectory", directory);
        delegate.syncDirectory(directory);
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        directoryOperation("atomicMove", source);
        synchronized (lock) {
            delegate.atomicMove(source, target);
            FileState moved = files.remove(key(source));
            files.remove(key(target));
            if (moved != null) {
                moved.path = target;
                files.put(key(target), moved);
            }
        }
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        directoryOperation("deleteIfExists", path);
        synchronized (lock) {
            files.remove(key(path));
            return delegate.deleteIfExists(path);
        }
    }

    /** Flips every bit of the byte at {@code position} of {@code file}. */
    public static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            checkRange(file, channel.size(), position, 1);
            ByteBuffer one = ByteBuffer.allocate(1);
            readFully(channel, position, one);
            one.put(0, (byte) ~one.get(0)).rewind();
            writeFully(channel, position, one);
        }
    }

    /** Overwrites {@code length} bytes of {@code file} at {@code position} with zeros. */
    public static void zeroRange(Path file, long position, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            checkRange(file, channel.size(), position, length);
            writeFully(channel, position, ByteBuffer.allocate(length));
        }
    }

    /** Cuts {@code file} to {@code size} bytes, which must not exceed its current size. */
    public static void truncateFile(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            checkRange(file, channel.size(), size, 0);
            channel.truncate(size);
        }
    }

    private enum Fault { NONE, FAIL, TEAR, KILL }

    private Fault nextWrite(FaultyFile handle) throws IOException {
        synchronized (lock) {
            handle.checkAlive();
            writes++;
            if (writes == failWriteAt) {
                failWriteAt = 0;
                return Fault.FAIL;
            }
            if (writes == tearWriteAt) {
                tearWriteAt = 0;
                return Fault.TEAR;
            }
            if (writes == killWriteAt) {
                killWriteAt = 0;
                return Fault.KILL;
            }
            return Fault.NONE;
        }
    }

    private boolean nextForceFails(FaultyFile handle) throws IOException {
        synchronized (lock) {
            handle.checkAlive();
            forces++;
            if (forces == failForceAt) {
                failForceAt = 0;
                return true;
            }
            return false;
        }
    }

    private void closed(FaultyFile handle) {
        synchronized (lock) {
            openHandles.remove(handle);
        }
    }

    /** How many leading bytes of a torn write of {@code n} bytes at {@code position} reach the file. */
    private int tornPrefix(long position, int n) {
        if (atomicBlock == 1) {
            return n / 2;
        }
        long middle = position + n / 2;
        long boundary = middle - Math.floorMod(middle, atomicBlock);
        if (boundary <= position) {
            boundary += atomicBlock;
        }
        return boundary < position + n ? (int) (boundary - position) : 0;
    }

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static long requirePositive(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1 (1 = the next call), got " + n);
        }
        return n;
    }

    private static void checkRange(Path file, long size, long position, long length) {
        if (position < 0 || length < 0 || position + length > size) {
            throw new IllegalArgumentException("range [" + position + ", " + (position + length) + ") is outside "
                    + file + " of " + size + " bytes");
        }
    }

    private static void readFully(FileChannel channel, long position, ByteBuffer dst) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += n;
        }
    }

    private static void writeFully(FileChannel channel, long position, ByteBuffer src) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    /** What one write or truncate overwrote: the old bytes at {@code position} and the file size before it. */
    private record Undo(long position, byte[] oldBytes, long oldSize) {}

    /** The crash state of one file, shared by all of its handles; guarded by the io's lock. */
    private static final class FileState {
        Path path;
        final List<Undo> sinceForce = new ArrayList<>();

        FileState(Path path) {
            this.path = path;
        }

        /** Records what a change of {@code [position, position + length)} (or a cut at position) overwrites. */
        void remember(StorageFile inner, long position, long length) throws IOException {
            long size = inner.size();
            long end = Math.min(size, position + length);
            byte[] old = new byte[(int) Math.max(0, end - position)];
            inner.read(position, ByteBuffer.wrap(old));
            sinceForce.add(new Undo(position, old, size));
        }

        void rollBack(StorageIo io) throws IOException {
            if (sinceForce.isEmpty() || Files.notExists(path)) {
                sinceForce.clear(); // a file deleted behind this io's back is not resurrected
                return;
            }
            try (StorageFile file = io.open(path, OpenMode.READ_WRITE_CREATE)) {
                for (int i = sinceForce.size() - 1; i >= 0; i--) {
                    Undo undo = sinceForce.get(i);
                    file.write(undo.position(), ByteBuffer.wrap(undo.oldBytes()));
                    file.truncate(undo.oldSize());
                }
            }
            sinceForce.clear();
        }
    }

    /** A handle that consults the fault schedule and records undo entries. */
    private final class FaultyFile implements StorageFile {
        final StorageFile inner;
        final FileState state;
        final long openedIn;

        FaultyFile(StorageFile inner, FileState state, long openedIn) {
            this.inner = inner;
            this.state = state;
            this.openedIn = openedIn;
        }

        void checkAlive() throws IOException {
            if (openedIn != generation) {
                throw new IOException("simulated crash: handle of " + state.path + " is dead");
            }
        }

        @Override
        public Path path() {
            return inner.path();
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            synchronized (lock) {
                checkAlive();
            }
            inner.read(position, dst);
        }

        @Override
        public void write(long position, ByteBuffer src) throws IOException {
            Fault fault = nextWrite(this);
            if (fault == Fault.FAIL) {
                throw new IOException("injected write failure at " + state.path + " position " + position);
            }
            synchronized (lock) {
                checkAlive();
                state.remember(inner, position, src.remaining());
                if (fault == Fault.TEAR || fault == Fault.KILL) {
                    int asked = src.remaining();
                    int kept = tornPrefix(position, asked);
                    inner.write(position, src.slice(src.position(), kept));
                    if (fault == Fault.KILL) {
                        killHandles();
                    }
                    throw new IOException("injected torn write at " + state.path + " position " + position + ": "
                            + kept + " of " + asked + " bytes written" + (fault == Fault.KILL ? ", process killed" : ""));
                }
                inner.write(position, src);
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (lock) {
                checkAlive();
            }
            return inner.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            Fault fault = nextWrite(this);
            if (fault == Fault.KILL) {
                synchronized (lock) {
                    killHandles();
                }
            }
            if (fault != Fault.NONE) {
                throw new IOException("injected " + (fault == Fault.FAIL ? "failed" : "torn") + " truncate of "
                        + state.path + " to " + size + " bytes (nothing changed)");
            }
            synchronized (lock) {
                checkAlive();
                long current = inner.size();
                if (size < current) {
                    state.remember(inner, size, current - size);
                }
                inner.truncate(size);
            }
        }

        @Override
        public void force() throws IOException {
            if (nextForceFails(this)) {
                throw new IOException("injected force failure at " + state.path);
            }
            synchronized (lock) {
                checkAlive();
                inner.force();
                state.sinceForce.clear();
            }
        }

        @Override
        public void close() throws IOException {
            closed(this);
            inner.close();
        }
    }
}
