package io.cairn.tree.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The redo body codec: exact round trips, exact sizes, and damaged bodies refused before any large allocation. */
class RedoCodecTest {

    /** Encodes {@code redo} as the log would and returns {type, body}. */
    private static Object[] encode(Redo redo) {
        long size = WalTesting.recordBytes(redo) - WalFormat.RECORD_OVERHEAD;
        MemorySegment m = MemorySegment.ofArray(new byte[(int) size + 16]);
        long end = RedoCodec.encode(m, 16, redo);
        assertEquals(16 + size, end, "encoded size of " + redo);
        byte type = RedoCodec.typeOf(redo);
        return new Object[] {type, m.asSlice(16, size).toArray(WalFormat.U8)};
    }

    private static Redo decode(int type, byte[] body) throws CorruptedStoreException {
        return RedoCodec.decode(type, MemorySegment.ofArray(body), 0, body.length);
    }

    @Test
    void everyKindRoundTripsExactly() throws Exception {
        for (long i = 0; i < 2_000; i++) {
            Redo redo = WalTesting.redo(11, i);
            Object[] encoded = encode(redo);
            assertEquals(redo, decode((byte) encoded[0], (byte[]) encoded[1]), "record " + i);
        }
    }

    @Test
    void emptyKeysValuesAndLargeIdsRoundTrip() throws Exception {
        List<Redo> cases = List.of(new Redo.Put(0, new byte[0], new byte[0], 1),
                new Redo.Put(Integer.MAX_VALUE, new byte[] {0}, new byte[70_000], Long.MAX_VALUE),
                new Redo.Delete(7, new byte[0]),
                new Redo.Rename(3, new byte[0], new byte[] {1, 2}, new byte[0], 9),
                new Redo.Batch(List.of()),
                new Redo.Batch(List.of(new Redo.Delete(1, new byte[0]), new Redo.Put(2, new byte[1], new byte[2], 3))));
        for (Redo redo : cases) {
            Object[] encoded = encode(redo);
            assertEquals(redo, decode((byte) encoded[0], (byte[]) encoded[1]));
        }
    }

    @Test
    void everyTruncationOfABodyIsCorruption() throws Exception {
        for (long i = 0; i < 200; i++) {
            Object[] encoded = encode(WalTesting.redo(5, i));
            byte[] body = (byte[]) encoded[1];
            for (int cut = 0; cut < body.length; cut += 1 + body.length / 300) {
                byte[] shorter = java.util.Arrays.copyOf(body, cut);
                assertThrows(CorruptedStoreException.class, () -> decode((byte) encoded[0], shorter),
                        "record " + i + " cut to " + cut);
            }
        }
    }

    @Test
    void trailingBytesAreCorruption() throws Exception {
        Object[] encoded = encode(new Redo.Delete(1, new byte[] {5}));
        byte[] longer = java.util.Arrays.copyOf((byte[]) encoded[1], ((byte[]) encoded[1]).length + 1);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class,
                () -> decode((byte) encoded[0], longer));
        assertTrue(e.getMessage().contains("1 bytes follow the end of the body"), e.getMessage());
    }

    @Test
    void hugeLengthsAndCountsAreRefusedBeforeAllocating() {
        // A put whose key length says 2 GiB, in a 24-byte body.
        MemorySegment m = MemorySegment.ofArray(new byte[24]);
        m.set(WalFormat.U32, 0, 1);
        m.set(WalFormat.U64, 4, 1L);
        m.set(WalFormat.U32, 12, 0x7FFF_FFF0);
        CorruptedStoreException key = assertThrows(CorruptedStoreException.class,
                () -> RedoCodec.decode(WalFormat.TYPE_PUT, m, 0, 24));
        assertTrue(key.getMessage().contains("key length 2147483632 exceeds"), key.getMessage());
        // A batch claiming 4 billion entries in 8 bytes.
        MemorySegment b = MemorySegment.ofArray(new byte[8]);
        b.set(WalFormat.U32, 0, -1);
        CorruptedStoreException count = assertThrows(CorruptedStoreException.class,
                () -> RedoCodec.decode(WalFormat.TYPE_BATCH, b, 0, 8));
        assertTrue(count.getMessage().contains("batch count 4294967295 cannot fit"), count.getMessage());
    }

    @Test
    void impossibleFieldsAreCorruption() {
        MemorySegment negativeTree = MemorySegment.ofArray(new byte[8]);
        negativeTree.set(WalFormat.U32, 0, -5);
        assertThrows(CorruptedStoreException.class, () -> RedoCodec.decode(WalFormat.TYPE_DELETE, negativeTree, 0, 8));
        MemorySegment zeroVersion = MemorySegment.ofArray(new byte[20]);
        assertThrows(CorruptedStoreException.class, () -> RedoCodec.decode(WalFormat.TYPE_PUT, zeroVersion, 0, 20));
        MemorySegment nestedBatch = MemorySegment.ofArray(new byte[16]);
        nestedBatch.set(WalFormat.U32, 0, 1);
        nestedBatch.set(WalFormat.U8, 4, WalFormat.TYPE_BATCH);
        CorruptedStoreException nested = assertThrows(CorruptedStoreException.class,
                () -> RedoCodec.decode(WalFormat.TYPE_BATCH, nestedBatch, 0, 16));
        assertTrue(nested.getMessage().contains("expected PUT, DELETE or RENAME"), nested.getMessage());
    }

    @Test
    void unknownTypesHaveNoGrammarHere() {
        for (int type : new int[] {0, 8, 99}) {
            assertFalse(WalFormat.isReadableType(type));
            assertThrows(IllegalArgumentException.class,
                    () -> RedoCodec.decode(type, MemorySegment.ofArray(new byte[8]), 0, 8));
        }
    }

    @Test
    void treeRecordsAndEnvelopesRoundTrip() throws Exception {
        byte[] previous = new byte[32];
        previous[3] = 7;
        Redo.Batch batch = new Redo.Batch(List.of(new Redo.Put(1, new byte[] {1}, new byte[] {2}, 3),
                new Redo.Delete(2, new byte[0])));
        byte[] hash = JournalChain.hash(previous, 9, new byte[] {4, 5}, batch);
        List<Redo> cases = List.of(new Redo.CreateTree(0, "a"), new Redo.CreateTree(Integer.MAX_VALUE, "x".repeat(255)),
                new Redo.CreateTree(4, "bücher/ü"), new Redo.DropTree(12),
                new Redo.Envelope(new byte[] {4, 5}, previous, hash, batch),
                new Redo.Envelope(new byte[0], new byte[32], new byte[32], new Redo.Batch(List.of())));
        for (Redo redo : cases) {
            Object[] encoded = encode(redo);
            assertEquals(redo, decode((byte) encoded[0], (byte[]) encoded[1]));
        }
    }

    @Test
    void badTreeNamesAreRefusedWhenMadeAndWhenRead() {
        for (String name : new String[] {"", "x".repeat(256), "a\u0000b", "\ud800"}) {
            assertThrows(IllegalArgumentException.class, () -> new Redo.CreateTree(1, name), name);
        }
        for (byte[] name : new byte[][] {{}, {'a', 0}, {(byte) 0xC3}, {(byte) 0xFF, 'a'}}) {
            MemorySegment m = MemorySegment.ofArray(new byte[6 + name.length]);
            m.set(WalFormat.U16, 4, (short) name.length);
            MemorySegment.copy(name, 0, m, WalFormat.U8, 6, name.length);
            assertThrows(CorruptedStoreException.class,
                    () -> RedoCodec.decode(WalFormat.TYPE_CREATE_TREE, m, 0, m.byteSize()));
        }
    }

    /**
     * Valid bodies with a random byte changed (or under another type): a clean refusal, or a record that encodes
     * back to exactly those bytes; never another exception, never a record that disagrees with its bytes.
     */
    @Test
    void mutatedBodiesDecodeCleanlyOrNotAtAll() throws Exception {
        Random random = new Random(3);
        int decoded = 0;
        int refused = 0;
        for (int round = 0; round < 5_000; round++) {
            Object[] encoded = encode(WalTesting.redo(17, round));
            byte[] body = ((byte[]) encoded[1]).clone();
            int type = (byte) encoded[0];
            if (random.nextInt(8) == 0) {
                type = WalFormat.TYPE_PUT + random.nextInt(WalFormat.TYPE_BATCH);
            } else {
                body[random.nextInt(body.length)] = (byte) random.nextInt(random.nextBoolean() ? 4 : 256);
            }
            Redo redo;
            try {
                redo = decode(type, body);
            } catch (CorruptedStoreException expected) {
                refused++;
                continue;
            }
            decoded++;
            Object[] again = encode(redo);
            assertEquals(type, (byte) again[0]);
            assertArrayEquals(body, (byte[]) again[1], "round " + round);
        }
        assertTrue(decoded > 200 && refused > 200, "decoded " + decoded + ", refused " + refused);
    }

    @Test
    void effectsRejectBadArgumentsByName() {
        IllegalArgumentException tree = assertThrows(IllegalArgumentException.class,
                () -> new Redo.Delete(-1, new byte[0]));
        assertTrue(tree.getMessage().contains("treeId must not be negative: -1"));
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> new Redo.Put(0, new byte[0], new byte[0], 0));
        assertTrue(version.getMessage().contains("version must be positive: 0"));
        assertThrows(NullPointerException.class, () -> new Redo.Rename(0, new byte[0], null, new byte[0], 1));
    }
}
