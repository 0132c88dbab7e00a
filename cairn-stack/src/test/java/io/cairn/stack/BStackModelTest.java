package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random operation mixes against a byte-array model, with reopens, valid and invalid calls. A failure names the
 * seed and the operation index; rerun a seed by passing it to {@link #run}.
 */
class BStackModelTest {
    private static final int OPERATIONS = 250;

    @Property(tries = 30)
    void randomOperationsMatchAByteArrayModel(@ForAll long seed) throws IOException {
        run(seed);
    }

    static void run(long seed) throws IOException {
        Path dir = Files.createTempDirectory("bstack-model");
        Path path = dir.resolve("model.bstack");
        Random random = new Random(seed);
        StackFormat format = random.nextBoolean() ? StackFormat.V0_4 : StackFormat.V0_2;
        BStackOptions options = BStackOptions.defaults().withDurability(Durability.NONE).withFormat(format);
        byte[] model = new byte[0];
        BStack stack = BStack.open(path, options);
        try {
            for (int i = 0; i < OPERATIONS; i++) {
                String where = format + ", seed " + seed + ", operation #" + i;
                int op = random.nextInt(24);
                int len = model.length;
                // mostly short writes; some long enough to cross the 256-byte blocks of a 0.4 file
                byte[] data = bytes(random, random.nextInt(8) == 0 ? random.nextInt(700) : random.nextInt(24));
                int n = len == 0 ? 0 : random.nextInt(len + 1);
                int offset = len == 0 ? 0 : random.nextInt(len + 1);
                int fit = Math.min(data.length, len - offset);
                byte[] fitted = Arrays.copyOf(data, fit);
                where += " (op " + op + ", len " + len + ", n " + n + ", offset " + offset + ")";
                switch (op) {
                    case 0 -> {
                        assertEquals(len, stack.push(data), where);
                        model = concat(model, data);
                    }
                    case 1 -> {
                        byte[] second = bytes(random, random.nextInt(8));
                        assertArrayEquals(new long[] {len, len + data.length}, stack.pushAll(List.of(data, second)),
                                where);
                        model = concat(concat(model, data), second);
                    }
                    case 2 -> {
                        assertEquals(len, stack.extend(n % 9), where);
                        model = Arrays.copyOf(model, len + n % 9);
                    }
                    case 3 -> {
                        assertArrayEquals(Arrays.copyOfRange(model, len - n, len), stack.pop(n), where);
                        model = Arrays.copyOf(model, len - n);
                    }
                    case 4 -> {
                        stack.discard(n);
                        model = Arrays.copyOf(model, len - n);
                    }
                    case 5 -> {
                        stack.set(offset, fitted);
                        System.arraycopy(fitted, 0, model, offset, fit);
                    }
                    case 6 -> {
                        stack.zero(offset, fit);
                        Arrays.fill(model, offset, offset + fit, (byte) 0);
                    }
                    case 7 -> {
                        assertArrayEquals(Arrays.copyOfRange(model, len - n, len), stack.splice(n, data), where);
                        model = concat(Arrays.copyOf(model, len - n), data);
                    }
                    case 8 -> {
                        boolean right = random.nextBoolean();
                        assertEquals(right, stack.tryExtend(right ? len : len + 1, data), where);
                        model = right ? concat(model, data) : model;
                    }
                    case 9 -> {
                        boolean right = random.nextBoolean();
                        assertEquals(right, stack.tryDiscard(right ? len : len + 1, n), where);
                        model = right ? Arrays.copyOf(model, len - n) : model;
                    }
                    case 10 -> {
                        assertArrayEquals(Arrays.copyOfRange(model, offset, offset + fit), stack.swap(offset, fitted),
                                where);
                        System.arraycopy(fitted, 0, model, offset, fit);
                    }
                    case 11 -> {
                        boolean match = random.nextBoolean();
                        byte[] expected = Arrays.copyOfRange(model, offset, offset + fit);
                        if (!match && fit > 0) {
                            expected[0] ^= 1;
                        }
                        assertEquals(match || fit == 0, stack.cas(offset, expected, fitted), where);
                        if (match) {
                            System.arraycopy(fitted, 0, model, offset, fit);
                        }
                    }
                    case 12 -> {
                        stack.replace(n, tail -> concat(tail, data));
                        model = concat(model, data);
                    }
                    case 13 -> {
                        int end = offset + fit;
                        stack.process(offset, end, b -> {
                            for (int k = 0; k < b.length; k++) {
                                b[k] = (byte) ~b[k];
                            }
                        });
                        for (int k = offset; k < end; k++) {
                            model[k] = (byte) ~model[k];
                        }
                    }
                    case 14 -> {
                        assertArrayEquals(Arrays.copyOfRange(model, offset, len), stack.peek(offset), where);
                        int lo = Math.min(n, offset);
                        int hi = Math.max(n, offset);
                        assertArrayEquals(Arrays.copyOfRange(model, lo, hi), stack.get(lo, hi), where);
                    }
                    case 15 -> {
                        int over = len + 1 + random.nextInt(3);
                        BStack current = stack;
                        assertThrows(IndexOutOfBoundsException.class, () -> current.pop(over), where);
                        assertThrows(IndexOutOfBoundsException.class, () -> current.get(0, over), where);
                        assertThrows(IndexOutOfBoundsException.class, () -> current.set(len, new byte[] {1}), where);
                        assertThrows(IndexOutOfBoundsException.class, () -> current.atrunc(over, data), where);
                    }
                    case 16 -> {
                        stack.close();
                        stack = BStack.open(path, options);
                    }
                    case 17 -> {
                        int second = offset + fit + random.nextInt(Math.max(1, len - offset - fit + 1));
                        int secondFit = Math.max(0, Math.min(5, len - second));
                        byte[] other = bytes(random, secondFit);
                        Map<Long, byte[]> writes = new HashMap<>();
                        writes.put((long) offset, fitted);
                        writes.put((long) second, other);
                        stack.setBatched(writes);
                        System.arraycopy(fitted, 0, model, offset, fit);
                        System.arraycopy(other, 0, model, second, secondFit);
                    }
                    case 18 -> {
                        int to = len == 0 ? 0 : random.nextInt(len + 1);
                        int count = Math.min(fit, len - Math.max(offset, to));
                        stack.copy(offset, to, count);
                        System.arraycopy(model, offset, model, to, count);
                    }
                    case 19 -> {
                        byte[] pattern = bytes(random, 1 + random.nextInt(4));
                        int count = (len - offset) / pattern.length == 0 ? 0
                                : random.nextInt((len - offset) / pattern.length + 1);
                        stack.repeat(offset, pattern, count);
                        for (int k = 0; k < count; k++) {
                            System.arraycopy(pattern, 0, model, offset + k * pattern.length, pattern.length);
                        }
                    }
                    case 20 -> {
                        int target = random.nextInt(len + 40);
                        assertEquals(len, stack.resize(target), where);
                        model = Arrays.copyOf(model, target);
                    }
                    case 21 -> {
                        int target = random.nextInt(len + 40);
                        assertEquals(len, stack.ensure(target), where);
                        model = Arrays.copyOf(model, Math.max(len, target));
                    }
                    case 22 -> {
                        int grow = data.length + random.nextInt(300);
                        int at = random.nextInt(grow - data.length + 1);
                        assertEquals(len, stack.extendSparse(grow, Map.of((long) at, data)), where);
                        model = Arrays.copyOf(model, len + grow);
                        System.arraycopy(data, 0, model, len + at, data.length);
                    }
                    case 23 -> {
                        stack.writeUnjournaled(offset, ByteBuffer.wrap(fitted));
                        System.arraycopy(fitted, 0, model, offset, fit);
                    }
                    default -> throw new AssertionError(op);
                }
                assertEquals(model.length, stack.length(), where + ": length");
                assertArrayEquals(model, stack.peek(0), where + ": content");
            }
        } finally {
            stack.close();
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
