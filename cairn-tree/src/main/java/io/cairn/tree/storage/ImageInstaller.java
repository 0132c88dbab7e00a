package io.cairn.tree.storage;

import io.cairn.stack.StorageIo;
import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.RedoLog;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds a store from an image ({@link ImageFormat}): the image is read and checked whole first, then loaded into
 * a new store in a hidden sibling directory whose log continues after the image's sequence, checkpointed, closed
 * and renamed into place. A damaged or cut image, or a crash at any point, leaves the target as it was (missing
 * or empty); only the hidden directory may remain, and the next install of that target removes it.
 */
public final class ImageInstaller {
    private ImageInstaller() {}

    /** Records checked, then installed, so far: {@code update("checking", n, -1)}, then ("installing", n, total). */
    @FunctionalInterface
    public interface Progress {
        void update(String stage, long done, long total);
    }

    /** Records loaded per engine call. */
    private static final int CHUNK = 4096;
    /** Records between checkpoints while loading, so dirty frames never pile up past a bounded cache. */
    private static final long CHECKPOINT_EVERY = 500_000;

    /**
     * Installs {@code image} as a new store in {@code directory}, which must be missing or empty.
     *
     * @throws DirectoryNotEmptyException               if {@code directory} holds anything
     * @throws io.cairn.stack.CorruptedStoreException if the image is damaged (nothing is installed)
     */
    public static ImageReader.Info install(Path image, Path directory, Store.Options options, Progress progress)
            throws IOException {
        StorageIo io = options.io();
        ImageReader.Info info = ImageReader.read(image, io, new ImageReader.Visitor() {
            private long checked;

            @Override
            public void record(byte[] key, byte[] value, long version) {
                if (++checked % CHUNK == 0) {
                    progress.update("checking", checked, -1);
                }
            }
        });
        Path target = directory.toAbsolutePath();
        if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target))) {
            throw new DirectoryNotEmptyException(target + " (a database is installed only into a missing or empty"
                    + " directory)");
        }
        Path staging = target.resolveSibling("." + target.getFileName() + ".installing");
        deleteTree(staging);
        try {
            try (Store store = Store.create(staging, options, info.sequence())) {
                ImageReader.read(image, io, new Loader(store, progress, info.records()));
                store.checkpoint();
            }
            io.deleteIfExists(target);
            io.atomicMove(staging, target);
            io.syncDirectory(target.getParent());
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(staging);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof java.io.UncheckedIOException u) {
                throw u.getCause(); // the store failed on an I/O error: that error is the caller's
            }
            throw e;
        }
        return info;
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Deletes a staging directory this installer made (nothing else is ever passed here). */
    private static void deleteTree(Path directory) throws IOException {
        if (Files.notExists(directory)) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Loads the records of a checked image into a new store, without logging them (the image is the base). */
    private static final class Loader implements ImageReader.Visitor {
        private final Store store;
        private final List<RedoLog.Change> pending = new ArrayList<>(CHUNK);
        private Engine tree;
        private final Progress progress;
        private final long total;
        private long loaded;
        private long sinceCheckpoint;

        Loader(Store store, Progress progress, long total) {
            this.store = store;
            this.progress = progress;
            this.total = total;
        }

        @Override
        public void header(long sequence, long versionHighWater, byte[] journalHead, int treeCount) {
            store.installed(versionHighWater, journalHead);
        }

        @Override
        public void beginTree(int id, String name) {
            tree = store.installTree(id, name);
        }

        @Override
        public void record(byte[] key, byte[] value, long version) throws IOException {
            pending.add(new RedoLog.Change(key, value, version));
            if (pending.size() == CHUNK) {
                flush();
            }
        }

        @Override
        public void endTree(long records) throws IOException {
            flush();
        }

        private void flush() throws IOException {
            if (!pending.isEmpty()) {
                tree.redo(pending);
                sinceCheckpoint += pending.size();
                loaded += pending.size();
                pending.clear();
                progress.update("installing", loaded, total);
            }
            if (sinceCheckpoint >= CHECKPOINT_EVERY) {
                store.checkpoint();
                sinceCheckpoint = 0;
            }
        }
    }
}
