package io.cairn.dict;

import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The fields of a double-array trie payload (kind 1 of {@link DictionaryImageFormat}) as plain arrays, so a test
 * can build an impossible trie field by field and write it as an image with valid checksums.
 */
final class DatPayload {
    int[] units;
    int[] base;
    int[] check;
    int[] first;
    int[] next;
    long[] finals;
    long termCount;
    /** Bytes after the arrays (the values of a trie saved with a codec), written as they are. */
    byte[] tail = new byte[0];

    static DatPayload parse(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        DatPayload p = new DatPayload();
        int states = in.getInt();
        int unitCount = in.getInt();
        if (states < 0 || unitCount < 0
                || 16 + 4L * unitCount + 16L * states + 8L * ((states + 63L) >>> 6) > payload.length) {
            throw new IllegalArgumentException(states + " states and " + unitCount + " units do not fit");
        }
        p.termCount = in.getLong();
        p.units = new int[unitCount];
        for (int i = 0; i < unitCount; i++) {
            p.units[i] = in.getInt();
        }
        p.base = new int[states];
        p.check = new int[states];
        p.first = new int[states];
        p.next = new int[states];
        for (int s = 0; s < states; s++) {
            p.base[s] = in.getInt();
            p.check[s] = in.getInt();
        }
        for (int s = 0; s < states; s++) {
            p.first[s] = in.getInt();
            p.next[s] = in.getInt();
        }
        p.finals = new long[(states + 63) >>> 6];
        for (int w = 0; w < p.finals.length; w++) {
            p.finals[w] = in.getLong();
        }
        p.tail = Arrays.copyOfRange(payload, in.position(), payload.length);
        return p;
    }

    /** The payload of the trie saved at {@code path}. */
    static DatPayload read(Path path) throws IOException {
        DictionaryImage image = DictionaryImage.read(StorageIo.fileSystem(), path,
                DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE);
        return parse(image.payload().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    /** Adds {@code count} free slots at the end; returns the index of the first. */
    int grow(int count) {
        int old = base.length;
        int states = old + count;
        base = Arrays.copyOf(base, states);
        check = Arrays.copyOf(check, states);
        Arrays.fill(check, old, states, -1);
        first = Arrays.copyOf(first, states);
        next = Arrays.copyOf(next, states);
        finals = Arrays.copyOf(finals, (states + 63) >>> 6);
        return old;
    }

    void setFinal(int state) {
        finals[state >>> 6] |= 1L << state;
    }

    byte[] toBytes() {
        int states = base.length;
        ByteBuffer out = ByteBuffer.allocate(16 + 4 * units.length + 16 * states + 8 * finals.length + tail.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(states).putInt(units.length).putLong(termCount);
        for (int unit : units) {
            out.putInt(unit);
        }
        for (int s = 0; s < states; s++) {
            out.putInt(base[s]).putInt(check[s]);
        }
        for (int s = 0; s < states; s++) {
            out.putInt(first[s]).putInt(next[s]);
        }
        for (long word : finals) {
            out.putLong(word);
        }
        out.put(tail);
        return out.array();
    }

    /** Writes the payload as a kind-1 image over UTF-8 bytes with valid checksums. */
    void write(Path path, int flags) throws IOException {
        DictionaryImage.write(StorageIo.fileSystem(), path, DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE,
                DictionaryImageFormat.ALPHABET_UTF8_BYTES, flags, toBytes());
    }
}
