package io.cairn.dict;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntUnaryOperator;

/**
 * Sorts terms (UTF-8 keys, with optional value bytes) that do not fit in memory: an external merge sort. Terms are
 * gathered into runs of at most {@link #RUN_BYTES} (by default), each sorted stably and spilled to a scratch file beside the
 * image (records: key length, key, value length + 1 or 0, value; lengths as 4-byte ints); the runs are then
 * merged. Equal keys come out in input order (within a run by the stable sort, across runs
 * by run order), so a consumer keeping the last of equal keys keeps the last one given. UTF-8 byte order is code
 * point order, so the keys come out in unit order for either alphabet.
 */
final class TermSorter implements AutoCloseable {
    /** The bytes of terms and values held in memory at once, by default. */
    static final int RUN_BYTES = 32 << 20;
    /**
     * A single run at least this large is spilled before it is drained, like every earlier one: the image being
     * built takes the heap the run held (a 9.5 MB run of 500 k terms kept a DAWG build from fitting 4x the list).
     */
    static final int DRAIN_IN_MEMORY_BYTES = 1 << 20;

    /** Receives the sorted terms. */
    interface Sink {
        void term(byte[] key, byte[] value) throws IOException;
    }

    private final Path sibling;
    private final int runBytes;
    private final List<Path> runs = new ArrayList<>();
    private byte[] blob = new byte[1 << 16];
    private final IntUnaryOperator blobByte = at -> blob[at] & 0xFF;
    private int blobSize;
    private int[] starts = new int[1 << 12];
    private int count;

    /**
     * @param sibling the image being built: runs are hidden scratch files beside it
     * @param runBytes the bytes of terms and values a run holds at most
     */
    TermSorter(Path sibling, int runBytes) {
        this.sibling = sibling;
        this.runBytes = runBytes;
    }

    void add(byte[] key, byte[] value) throws IOException {
        int needed = 10 + key.length + 10 + (value == null ? 0 : value.length);
        if (blobSize + needed > runBytes && count > 0) {
            spill();
        }
        if (blobSize + needed > blob.length) {
            blob = Arrays.copyOf(blob, Math.max(blobSize + needed, Math.min(runBytes, blob.length * 2)));
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = blobSize;
        blobSize = putVarint(blob, blobSize, key.length);
        System.arraycopy(key, 0, blob, blobSize, key.length);
        blobSize += key.length;
        blobSize = putVarint(blob, blobSize, value == null ? 0 : value.length + 1L);
        if (value != null) {
            System.arraycopy(value, 0, blob, blobSize, value.length);
            blobSize += value.length;
        }
    }

    /** Sorts the run in memory and writes it to a fresh scratch file, records as they are in the blob. */
    private void spill() throws IOException {
        int[] order = sortedRun();
        Path run = ImageOutput.temporarySibling(sibling, "run");
        runs.add(run);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16))) {
            for (int i = 0; i < count; i++) {
                int start = order[i];
                int keyLength = (int) Varints.get(blobByte, start);
                int at = start + Varints.size(keyLength);
                out.writeInt(keyLength);
                out.write(blob, at, keyLength);
                at += keyLength;
                int value = (int) Varints.get(blobByte, at); // its length + 1, 0 for none
                out.writeInt(value);
                out.write(blob, at + Varints.size(value), Math.max(0, value - 1));
            }
        }
        count = 0;
        blobSize = 0;
    }

    /** The record starts in key order, stably (a merge sort: equal keys keep their input order). */
    private int[] sortedRun() {
        int[] order = Arrays.copyOf(starts, count);
        int[] buffer = new int[count];
        for (int width = 1; width < count; width *= 2) {
            for (int lo = 0; lo < count; lo += 2 * width) {
                int mid = Math.min(lo + width, count);
                int hi = Math.min(lo + 2 * width, count);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    buffer[k++] = compareKeys(order[j], order[i]) < 0 ? order[j++] : order[i++];
                }
                while (i < mid) {
                    buffer[k++] = order[i++];
                }
                while (j < hi) {
                    buffer[k++] = order[j++];
                }
            }
            int[] swap = order;
            order = buffer;
            buffer = swap;
        }
        return order;
    }

    private int compareKeys(int a, int b) {
        int lengthA = (int) Varints.get(blobByte, a);
        int lengthB = (int) Varints.get(blobByte, b);
        int fromA = a + Varints.size(lengthA);
        int fromB = b + Varints.size(lengthB);
        return Arrays.compareUnsigned(blob, fromA, fromA + lengthA, blob, fromB, fromB + lengthB);
    }

    /**
     * Hands every term to {@code sink} in key order. A run smaller than {@link #DRAIN_IN_MEMORY_BYTES} with no run
     * spilled before it never leaves memory; otherwise the last run is spilled too, the run's memory released, and
     * all runs are merged, a buffered reader per run.
     */
    void drain(Sink sink) throws IOException {
        if (runs.isEmpty() && blobSize < DRAIN_IN_MEMORY_BYTES) {
            for (int start : sortedRun()) {
                int keyLength = (int) Varints.get(blobByte, start);
                int at = start + Varints.size(keyLength);
                byte[] key = Arrays.copyOfRange(blob, at, at + keyLength);
                at += keyLength;
                int value = (int) Varints.get(blobByte, at);
                at += Varints.size(value);
                sink.term(key, value == 0 ? null : Arrays.copyOfRange(blob, at, at + value - 1));
            }
            return;
        }
        if (count > 0) {
            spill();
        }
        blob = new byte[0];
        starts = new int[0];
        PriorityQueue<RunReader> heap = new PriorityQueue<>();
        try {
            for (int i = 0; i < runs.size(); i++) {
                RunReader reader = new RunReader(runs.get(i), i);
                if (reader.advance()) {
                    heap.add(reader);
                } else {
                    reader.close();
                }
            }
            while (!heap.isEmpty()) {
                RunReader smallest = heap.poll();
                sink.term(smallest.key, smallest.value);
                if (smallest.advance()) {
                    heap.add(smallest);
                } else {
                    smallest.close();
                }
            }
        } finally {
            for (RunReader reader : heap) {
                reader.close();
            }
        }
    }

    /** Deletes the runs. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                failure = e;
            }
        }
        runs.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static int putVarint(byte[] into, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            into[at++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        into[at++] = (byte) value;
        return at;
    }

    /** One run being merged: its current term, ordered by key, then by run (earlier runs first). */
    private static final class RunReader implements Comparable<RunReader>, AutoCloseable {
        private final DataInputStream in;
        private final int run;
        byte[] key;
        byte[] value;

        RunReader(Path file, int run) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            this.run = run;
        }

        /** Reads the next term; false at the end of the run. */
        boolean advance() throws IOException {
            int first = in.read();
            if (first < 0) {
                return false;
            }
            int keyLength = first << 24 | in.readUnsignedByte() << 16 | in.readUnsignedShort();
            key = in.readNBytes(keyLength);
            int valueLength = in.readInt();
            value = valueLength == 0 ? null : in.readNBytes(valueLength - 1);
            return true;
        }

        @Override
        public int compareTo(RunReader other) {
            int byKey = Arrays.compareUnsigned(key, other.key);
            return byKey != 0 ? byKey : Integer.compare(run, other.run);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
