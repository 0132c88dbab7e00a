package io.cairn.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies, fills and little-endian words on a {@link StorageFile}, at physical offsets, in bounded memory: what the
 * 0.4 journal's writes and its recovery both do to ranges of any length.
 */
final class RangeIo {
    private RangeIo() {}

    /** The largest buffer a copy or a fill uses. */
    static final int CHUNK = 64 * 1024;

    /** Copies {@code [src, src + n)} to {@code [dst, dst + n)}; the ranges must not overlap. */
    static void move(StorageFile file, long src, long dst, long n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, n));
        for (long done = 0; done < n; ) {
            int take = (int) Math.min(buffer.capacity(), n - done);
            buffer.clear().limit(take);
            file.read(src + done, buffer);
            file.write(dst + done, buffer.flip());
            done += take;
        }
    }

    /** Writes {@code count} copies of {@code pattern} from {@code at}, each chunk a whole number of copies. */
    static void fill(StorageFile file, long at, byte[] pattern, long count) throws IOException {
        if (count == 0 || pattern.length == 0) {
            return;
        }
        long copies = Math.min(count, Math.max(1, CHUNK / pattern.length));
        byte[] chunk = new byte[(int) (copies * pattern.length)];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(pattern, 0, chunk, i * pattern.length, pattern.length);
        }
        long total = count * pattern.length;
        for (long done = 0; done < total; ) {
            int take = (int) Math.min(chunk.length, total - done);
            file.write(at + done, ByteBuffer.wrap(chunk, 0, take));
            done += take;
        }
    }

    /** Reads the little-endian u64 at {@code at}. */
    static long readLong(StorageFile file, long at) throws IOException {
        ByteBuffer word = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        file.read(at, word);
        return word.getLong(0);
    }

    /** Writes {@code values} as consecutive little-endian u64s from {@code at}, in one write. */
    static void writeLongs(StorageFile file, long at, long... values) throws IOException {
        ByteBuffer words = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            words.putLong(value);
        }
        file.write(at, words.flip());
    }
}
