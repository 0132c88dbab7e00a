package io.cairn.stack;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * The production {@link StorageIo}: {@link FileChannel} for data, OS advisory locks for exclusion.
 *
 * <p><b>Locks.</b> A locked file holds two OS locks: a POSIX {@code fcntl} lock ({@link FileChannel#tryLock}) and
 * a BSD {@code flock} ({@link Flock}), the one the reference bstack takes, so Cairn excludes both older Cairn
 * processes and reference C/Rust processes. Both kinds are per file, not per handle, so this process keeps one
 * table of the files it holds, keyed by the file's identity (device and inode), with one channel, one flock
 * descriptor and a count of the handles that share them:
 * <ul>
 * <li>an open that conflicts with an entry is refused from the table alone, before any descriptor of the file
 *     is opened: POSIX releases all of a process's fcntl locks on a file when <em>any</em> descriptor of it is
 *     closed, so a refused open that opened and closed a channel used to drop the lock of the handle it lost to;
 * <li>read-only handles share the entry's channel instead of opening their own, for the same reason;
 * <li>the channel and the flock descriptor close when the last handle closes.
 * </ul>
 * A file that this process holds must therefore not be opened and closed by other code in the process (an
 * unlocked {@link #open} or {@link Files#readAllBytes}): that drops the fcntl lock, though the flock, which
 * belongs to its own descriptor, still excludes other Cairn and reference processes.
 */
final class FileSystemStorage implements StorageIo {
    static final FileSystemStorage INSTANCE = new FileSystemStorage();

    /** The files this process holds locked; guarded by itself. */
    private static final Map<Object, Held> HELD = new HashMap<>();

    private FileSystemStorage() {}

    @Override
    public StorageFile open(Path path, OpenMode mode) throws IOException {
        return new ChannelFile(path, openChannel(path, mode), null);
    }

    @Override
    public StorageFile openLocked(Path path, OpenMode mode) throws IOException {
        boolean shared = mode == OpenMode.READ_ONLY;
        synchronized (HELD) {
            Object key = identity(path);
            Held held = key == null ? null : HELD.get(key);
            if (held != null) {
                if (!(shared && held.shared)) {
                    throw locked(path, shared, held.shared ? "read-only handles in this process"
                            : "a writer in this process");
                }
                held.holders++;
                return new ChannelFile(path, held.channel, held);
            }
            // Nothing of this file is held here, so opening and closing descriptors of it cannot drop our locks.
            FileChannel channel = openChannel(path, mode);
            int fd = -1;
            try {
                key = identity(path);
                if (Flock.AVAILABLE) {
                    fd = Flock.open(path);
                    if (!Flock.tryLock(fd, shared, path)) {
                        throw locked(path, shared, "another process (flock)");
                    }
                }
                FileLock lock;
                try {
                    lock = channel.tryLock(0, Long.MAX_VALUE, shared);
                } catch (OverlappingFileLockException e) {
                    throw locked(path, shared, "another channel in this process");
                }
                if (lock == null) {
                    throw locked(path, shared, "another process (fcntl)");
                }
                held = new Held(key, channel, fd, shared);
                HELD.put(key, held);
                return new ChannelFile(path, channel, held);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel, fd, path, e);
                throw e;
            }
        }
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

    private static FileChannel openChannel(Path path, OpenMode mode) throws IOException {
        return switch (mode) {
            case READ_ONLY -> FileChannel.open(path, StandardOpenOption.READ);
            case READ_WRITE -> FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            case READ_WRITE_CREATE -> FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE);
        };
    }

    /**
     * The file's identity without opening it (a {@code stat}): device and inode where the platform has them, else
     * the real path; {@code null} if the file does not exist.
     */
    private static Object identity(Path path) throws IOException {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static StoreLockedException locked(Path path, boolean shared, String holder) {
        return new StoreLockedException(path, path + " is locked by " + holder + "; cannot open it "
                + (shared ? "read-only" : "for writing"));
    }

    private static void closeQuietly(FileChannel channel, int fd, Path path, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        if (fd >= 0) {
            try {
                Flock.close(fd, path);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** A file this process holds locked: its shared channel, its flock descriptor, and how many handles use them. */
    private static final class Held {
        final Object key;
        final FileChannel channel;
        final int flockFd;
        final boolean shared;
        int holders = 1;

        Held(Object key, FileChannel channel, int flockFd, boolean shared) {
            this.key = key;
            this.channel = channel;
            this.flockFd = flockFd;
            this.shared = shared;
        }
    }

    /** A handle on a channel: its own (unlocked), or a locked file's shared one. */
    private static final class ChannelFile implements StorageFile {
        private final Path path;
        private final FileChannel channel;
        /** The locked file this handle shares, or null for an unlocked handle. */
        private final Held held;
        private volatile boolean closed;

        ChannelFile(Path path, FileChannel channel, Held held) {
            this.path = path;
            this.channel = channel;
            this.held = held;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            checkOpen();
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
            checkOpen();
            long pos = position;
            while (src.hasRemaining()) {
                pos += channel.write(src, pos);
            }
        }

        @Override
        public long size() throws IOException {
            checkOpen();
            return channel.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            checkOpen();
            if (size < channel.size()) {
                channel.truncate(size);
            }
        }

        @Override
        public void force() throws IOException {
            checkOpen();
            channel.force(false);
        }

        /** A shared channel outlives this handle, so a closed handle must refuse on its own. */
        private void checkOpen() throws ClosedChannelException {
            if (closed) {
                throw new ClosedChannelException();
            }
        }

        @Override
        public void close() throws IOException {
            if (held == null) {
                closed = true;
                channel.close();
                return;
            }
            synchronized (HELD) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--held.holders > 0) {
                    return;
                }
                HELD.remove(held.key);
                IOException failure = new IOException("releasing the locks of " + path + " failed");
                closeQuietly(held.channel, held.flockFd, path, failure);
                if (failure.getSuppressed().length > 0) {
                    throw failure;
                }
            }
        }
    }
}
