package io.cairn.dict;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The working arrays of a double-array trie being placed ({@link DoubleArrayPlacer}): a few int fields per slot,
 * zero until set. On the heap for tries built in memory, or in a memory-mapped scratch file for images too large
 * for the heap: the operating system then keeps in memory only the pages in use (placement touches a window at
 * the end of the arrays, and each state once more when it is expanded), and the heap stays small.
 */
abstract sealed class SlotStore implements AutoCloseable {
    final int width;

    SlotStore(int width) {
        this.width = width;
    }

    /** Makes slots {@code [0, slots)} addressable; new slots are zero. */
    abstract void ensure(long slots) throws IOException;

    abstract int get(long slot, int field);

    abstract void set(long slot, int field, int value);

    /** Releases the memory (and deletes the scratch file). */
    @Override
    public abstract void close() throws IOException;

    static SlotStore onHeap(int width) {
        return new Heap(width);
    }

    /** Slots in a scratch file created (hidden, uniquely named) beside {@code sibling}. */
    static SlotStore mapped(int width, Path sibling) throws IOException {
        return new Mapped(width, ImageOutput.temporarySibling(sibling.toAbsolutePath(), "slots"));
    }

    private static final class Heap extends SlotStore {
        private final PagedInts ints = new PagedInts();

        Heap(int width) {
            super(width);
        }

        @Override
        void ensure(long slots) {
            long ints = slots * width;
            if (ints > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a double-array trie of " + slots + " slots exceeds the image limit");
            }
            this.ints.ensure((int) ints);
        }

        @Override
        int get(long slot, int field) {
            return ints.get((int) (slot * width + field));
        }

        @Override
        void set(long slot, int field, int value) {
            ints.set((int) (slot * width + field), value);
        }

        @Override
        public void close() {}
    }

    private static final class Mapped extends SlotStore {
        private static final int CHUNK_BITS = 26; // 64 MiB mappings
        private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

        private final Path file;
        private final FileChannel channel;
        private final Arena arena = Arena.ofShared();
        private final List<MemorySegment> chunks = new ArrayList<>();

        Mapped(int width, Path file) throws IOException {
            super(width);
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }

        @Override
        void ensure(long slots) throws IOException {
            long bytes = slots * width * Integer.BYTES;
            while ((long) chunks.size() << CHUNK_BITS < bytes) {
                long position = (long) chunks.size() << CHUNK_BITS;
                chunks.add(channel.map(FileChannel.MapMode.READ_WRITE, position, 1L << CHUNK_BITS, arena));
            }
        }

        @Override
        int get(long slot, int field) {
            long at = (slot * width + field) * Integer.BYTES;
            return chunks.get((int) (at >>> CHUNK_BITS)).get(INT, at & ((1L << CHUNK_BITS) - 1));
        }

        @Override
        void set(long slot, int field, int value) {
            long at = (slot * width + field) * Integer.BYTES;
            chunks.get((int) (at >>> CHUNK_BITS)).set(INT, at & ((1L << CHUNK_BITS) - 1), value);
        }

        @Override
        public void close() throws IOException {
            try {
                arena.close();
                channel.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
