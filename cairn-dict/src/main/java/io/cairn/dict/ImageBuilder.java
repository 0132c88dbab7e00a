package io.cairn.dict;

import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes a dictionary image straight from a term list, however large, in bounded memory: what {@code cairn dict
 * build} runs. {@link DoubleArrayTrie#of} and {@link Dawg#of} build in memory and need the whole list and the whole
 * structure on the heap; this streams the terms into a minimal DAWG kept in its compact saved form
 * ({@link CompactDawg}: memory in proportion to the DAWG, not to the terms) and writes either that DAWG or the
 * double-array trie placed from it, whose slot arrays live in a memory-mapped scratch file beside the image.
 *
 * <p>Terms already in unit order (UTF-8 byte order, which is also code point order; {@code LC_ALL=C sort}) are
 * read once and never held. Other input is detected at the first term out of order and then read a second time
 * into an external merge sort ({@link TermSorter}: sorted runs of at most 32 MiB spilled to scratch files beside
 * the image). A repeated term keeps its last value. The image is written through a temporary file and renamed
 * ({@link ImageOutput}): the target must be a regular file or a new name; scratch files are deleted at the end,
 * success or not.
 *
 * <pre>{@code
 * ImageBuilder.dawg(Alphabet.UTF8_BYTES).build(Path.of("words.dict"), () -> Dictionaries.readTerms(list));
 * }</pre>
 */
public final class ImageBuilder {

    /** Where a build is, for a progress display: {@code done} of {@code total} units of {@code stage}. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param stage "reading", "sorting", "placing" or "writing"
         * @param total what {@code done} counts up to, or -1 when unknown (reading: terms, placing: terms, writing:
         *     bytes)
         */
        void update(String stage, long done, long total);
    }

    /** The term list, opened afresh each time it is read (at most twice: see the class comment). */
    @FunctionalInterface
    public interface TermSource<T> {
        Stream<T> open() throws IOException;
    }

    /**
     * What a build wrote.
     *
     * @param terms distinct terms
     * @param nodes DAWG nodes, or double-array slots
     * @param bytes the image's size
     * @param sortedInput whether the input came in unit order (else it was sorted externally)
     */
    public record Report(long terms, long nodes, long bytes, boolean sortedInput) {}

    private final boolean trie;
    private final Alphabet alphabet;
    private StorageIo io = StorageIo.fileSystem();
    private int runBytes = TermSorter.RUN_BYTES;
    private Progress progress = (stage, done, total) -> { };

    private ImageBuilder(boolean trie, Alphabet alphabet) {
        this.trie = trie;
        this.alphabet = Objects.requireNonNull(alphabet, "alphabet");
    }

    /** Builds {@link DoubleArrayTrie} images. */
    public static ImageBuilder doubleArrayTrie(Alphabet alphabet) {
        return new ImageBuilder(true, alphabet);
    }

    /** Builds {@link Dawg} images. */
    public static ImageBuilder dawg(Alphabet alphabet) {
        return new ImageBuilder(false, alphabet);
    }

    /** Reports progress to {@code listener} (called on the building thread). */
    public ImageBuilder progress(Progress listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Sorts unsorted input in runs of at most {@code bytes} (tests make many small runs). */
    ImageBuilder runBytes(int bytes) {
        this.runBytes = bytes;
        return this;
    }

    /** Writes through {@code io} (tests inject faults here). */
    ImageBuilder io(StorageIo io) {
        this.io = io;
        return this;
    }

    /**
     * Writes the image of {@code terms} (without values) to {@code output}.
     *
     * @throws IllegalArgumentException if {@code output} is a directory or a special file, or a term holds an
     *     unpaired surrogate
     */
    public Report build(Path output, TermSource<String> terms) throws IOException {
        Objects.requireNonNull(terms, "terms");
        return write(output, () -> terms.open().map(term -> new MappedDictionary.Entry<String>(term, null)), null);
    }

    /**
     * Writes the image of {@code entries} to {@code output}, values encoded by {@code codec}; an entry with a null
     * value is a term without one (a double-array trie needs a value for every term or for none).
     *
     * @throws IllegalArgumentException as {@link #build}, or if a double-array trie gets values for some terms only
     */
    public <V> Report buildEntries(Path output, TermSource<MappedDictionary.Entry<V>> entries,
            ValueCodec<? super V> codec) throws IOException {
        Objects.requireNonNull(entries, "entries");
        return write(output, entries, Objects.requireNonNull(codec, "codec"));
    }

    private <V> Report write(Path output, TermSource<MappedDictionary.Entry<V>> source, ValueCodec<? super V> codec)
            throws IOException {
        Objects.requireNonNull(output, "output");
        Path target = ImageOutput.writableTarget(output); // refuse before any work
        Reader<V> reader = new Reader<>(codec);
        CompactDawg dawg = reader.readSorted(source);
        boolean sorted = dawg != null;
        if (!sorted) {
            try (TermSorter sorter = new TermSorter(target, runBytes)) {
                reader.sort(source, sorter);
                dawg = new CompactDawg(alphabet);
                reader.drain(sorter, dawg);
            }
        }
        dawg.finish();
        boolean valued = reader.valued > 0;
        if (trie && valued && reader.plain > 0) {
            throw new IllegalArgumentException("a double-array trie needs a value for every term or for none; "
                    + reader.valued + " terms have one and " + reader.plain + " do not");
        }
        int flags = valued ? DictionaryImageFormat.FLAG_HAS_VALUES : 0;
        int alphabetCode = DictionaryImageFormat.alphabetCode(alphabet);
        if (!trie) {
            try (ImageOutput out = ImageOutput.create(io, target, DictionaryImageFormat.KIND_DAWG, alphabetCode,
                    flags)) {
                progress.update("writing", 0, dawg.recordBytes());
                dawg.writePayload(out);
                long bytes = out.commit();
                progress.update("writing", dawg.recordBytes(), dawg.recordBytes());
                return new Report(dawg.termCount(), Math.max(1, dawg.nodeCount()), bytes, sorted);
            }
        }
        try (SlotStore slots = SlotStore.mapped(DoubleArrayPlacer.width(valued), target);
                ImageOutput out = ImageOutput.create(io, target, DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE,
                        alphabetCode, flags)) {
            DoubleArrayPlacer placer = new DoubleArrayPlacer(dawg, slots, valued);
            long terms = dawg.termCount();
            placer.place(placed -> progress.update("placing", placed, terms));
            progress.update("writing", 0, placer.arraysBytes());
            placer.writeArrays(out);
            if (valued) {
                placer.forEachValue(value -> {
                    out.writeVarint(value.length);
                    out.write(value, 0, value.length);
                });
            }
            long bytes = out.commit();
            progress.update("writing", placer.arraysBytes(), placer.arraysBytes());
            return new Report(terms, placer.stateCount(), bytes, sorted);
        }
    }

    /** Reads the source: terms as keys (UTF-8) and units, values encoded, counting terms with and without values. */
    private final class Reader<V> {
        private final ValueCodec<? super V> codec;
        private int[] units = new int[64];
        private byte[] previous;
        long valued;
        long plain;
        private long read;

        Reader(ValueCodec<? super V> codec) {
            this.codec = codec;
        }

        /** Builds the DAWG in one pass if the terms come in order; null at the first one out of order. */
        CompactDawg readSorted(TermSource<MappedDictionary.Entry<V>> source) throws IOException {
            CompactDawg dawg = new CompactDawg(alphabet);
            try (Stream<MappedDictionary.Entry<V>> entries = source.open()) {
                for (Iterator<MappedDictionary.Entry<V>> it = entries.iterator(); it.hasNext(); ) {
                    MappedDictionary.Entry<V> entry = it.next();
                    byte[] key = key(entry.term());
                    if (previous != null && Arrays.compareUnsigned(key, previous) < 0) {
                        return null;
                    }
                    previous = key;
                    add(dawg, key, value(entry));
                    counted();
                }
            }
            return dawg;
        }

        /** Reads the source again into {@code sorter}. */
        void sort(TermSource<MappedDictionary.Entry<V>> source, TermSorter sorter) throws IOException {
            valued = 0;
            plain = 0;
            read = 0;
            try (Stream<MappedDictionary.Entry<V>> entries = source.open()) {
                for (Iterator<MappedDictionary.Entry<V>> it = entries.iterator(); it.hasNext(); ) {
                    MappedDictionary.Entry<V> entry = it.next();
                    sorter.add(key(entry.term()), value(entry));
                    counted();
                }
            }
        }

        void drain(TermSorter sorter, CompactDawg dawg) throws IOException {
            long[] merged = {0};
            sorter.drain((key, value) -> {
                add(dawg, key, value);
                if ((++merged[0] & 0xFFFF) == 0) {
                    progress.update("sorting", merged[0], read);
                }
            });
            progress.update("sorting", read, read);
        }

        private void counted() {
            if ((++read & 0xFFFF) == 0) {
                progress.update("reading", read, -1);
            }
        }

        private byte[] key(String term) {
            byte[] key = Units.utf8(Objects.requireNonNull(term, "term"));
            if (key == null) {
                throw new IllegalArgumentException("term holds an unpaired surrogate, not encodable as UTF-8: "
                        + term);
            }
            return key;
        }

        private byte[] value(MappedDictionary.Entry<V> entry) {
            V value = entry.value();
            if (value == null || codec == null) {
                plain++;
                return null;
            }
            valued++;
            return codec.encode(value);
        }

        /** Adds a key as units of the alphabet: its bytes, or the code points they spell. */
        private void add(CompactDawg dawg, byte[] key, byte[] value) {
            int length = 0;
            if (units.length < key.length) {
                units = new int[Math.max(key.length, units.length * 2)];
            }
            if (alphabet == Alphabet.UTF8_BYTES) {
                for (byte b : key) {
                    units[length++] = b & 0xFF;
                }
            } else {
                length = Units.decodeUtf8(key, units);
            }
            dawg.add(units, length, value);
        }
    }
}
