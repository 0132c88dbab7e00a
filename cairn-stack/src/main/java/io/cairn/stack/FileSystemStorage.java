package io.cairn.stack;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The production {@link StorageIo}: {@link FileChannel} for data, OS advisory locks for exclusion.
 *
 * <p>OS file locks belong to the whole JVM, and Java refuses a second overlapping lock in one JVM. So locks
 * are kept in a process-wide table keyed by the file's real path: shared holders are counted on one OS lock
 * taken on a channel of the table's own (so it outlives whichever handle opened first), and an exclusive
 * holder conflicts with everyone, in this process or another.
 */
final class FileSystemStorage implements StorageIo {
    static final FileSystemStorage INSTANCE = new FileSystemStorage();

    /** Guarded by itself. */
    private static final Map<Path, HeldLock> LOCKS = new HashMap<>();

    private FileSystemStorage() {}

    @Override
    public StorageFile open(Path path, OpenMode mode) throws IOException {
        FileChannel channel = switch (mode) {
            case READ_ONLY -> FileChannel.open(path, StandardOpenOption.READ);
            case READ_WRITE_CREATE -> FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE);
        };
        return new ChannelFile(path, channel);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; on Linux this works and must not fail silently.
            if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                return;
            }
            throw e;
        }
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + source + " to " + target + " atomically", e);
        }
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return Files.deleteIfExists(path);
    }

    /** One OS lock and the handles of this process that share it. */
    private static final class HeldLock {
        final FileChannel channel;
        final FileLock lock;
        final boolean shared;
        int holders = 1;

        HeldLock(FileChannel channel, FileLock lock, boolean shared) {
            this.channel = channel;
            this.lock = lock;
            this.shared = shared;
        }
    }

    private static final class ChannelFile implements StorageFile {
        private final Path path;
        private final FileChannel channel;
        private Path lockedKey; // guarded by LOCKS

        ChannelFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            long pos = position;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, pos);
                if (n < 0) {
                    throw new EOFException(path + ": end of file at byte " + pos + " while reading "
                            + dst.remaining() + " more bytes");
                }
                pos += n;
            }
        }

        @Override
        public void write(long position, ByteBuffer src) throws IOException {
            long pos = position;
            while (src.hasRemaining()) {
                pos += channel.write(src, pos);
            }
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            if (size < channel.size()) {
                channel.truncate(size);
            }
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void lock(boolean shared) throws IOException {
            Path key = path.toRealPath();
            synchronized (LOCKS) {
                if (lockedKey != null) {
                    throw new IllegalStateException(path + " is already locked by this handle");
                }
                HeldLock held = LOCKS.get(key);
                if (held != null) {
                    if (shared && held.shared) {
                        held.holders++;
                        lockedKey = key;
                        return;
                    }
                    throw locked(shared, held.shared ? "read-only handles in this process" : "a writer in this process");
                }
                FileChannel lockChannel = shared
                        ? FileChannel.open(key, StandardOpenOption.READ)
                        : FileChannel.open(key, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = lockChannel.tryLock(0, Long.MAX_VALUE, shared);
                } catch (OverlappingFileLockException | IOException e) {
                    lockChannel.close();
                    throw e instanceof IOException io ? io : locked(shared, "another handle in this process");
                }
                if (lock == null) {
                    lockChannel.close();
                    throw locked(shared, "another process");
                }
                LOCKS.put(key, new HeldLock(lockChannel, lock, shared));
                lockedKey = key;
            }
        }

        private StoreLockedException locked(boolean shared, String holder) {
            return new StoreLockedException(path, path + " is locked by " + holder + "; cannot open it "
                    + (shared ? "read-only" : "for writing"));
        }

        @Override
        public void close() throws IOException {
            try {
                synchronized (LOCKS) {
                    if (lockedKey != null) {
                        HeldLock held = LOCKS.get(lockedKey);
                        if (held != null && --held.holders == 0) {
                            LOCKS.remove(lockedKey);
                            held.channel.close(); // releases the OS lock
                        }
                        lockedKey = null;
                    }
                }
            } finally {
                channel.close();
            }
        }
    }
}
