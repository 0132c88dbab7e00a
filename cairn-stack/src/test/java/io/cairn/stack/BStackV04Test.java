package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link BStackContract} on a 0.4 file (32-byte header with the write-in-progress journal), the default; and what
 * only 0.4 has: the journal's force counts per durability, and the reference's layout byte for byte.
 */
class BStackV04Test extends BStackContract {
    @Override
    StackFormat format() {
        return StackFormat.V0_4;
    }

    @Override
    byte[] emptyFile() {
        return Arrays.copyOf(new byte[] {'B', 'S', 'T', 'K', 0, 4, 4, 0}, 32);
    }

    /** The journaled and direct writes of a 600-byte stack, with the forces each takes under SYNC. */
    private List<Object[]> journaledMutations() {
        byte[] forty = new byte[40];
        return List.<Object[]>of(
                new Object[] {"set in one block", (Executable) () -> stack.set(10, forty), 1},
                new Object[] {"set across a block", (Executable) () -> stack.set(210, forty), 4},
                new Object[] {"zero across blocks", (Executable) () -> stack.zero(100, 400), 4},
                new Object[] {"repeat across blocks", (Executable) () -> stack.repeat(100, forty, 10), 4},
                new Object[] {"copy disjoint", (Executable) () -> stack.copy(0, 200, 100), 4},
                new Object[] {"copy in one block", (Executable) () -> stack.copy(0, 300, 100), 1},
                new Object[] {"copy overlapping", (Executable) () -> stack.copy(100, 150, 200), 4},
                new Object[] {"setBatched", (Executable) () -> stack.setBatched(Map.of(1L, forty, 100L, forty)), 4},
                new Object[] {"splice", (Executable) () -> stack.atrunc(10, forty), 4},
                new Object[] {"push", (Executable) () -> stack.push(forty), 1});
    }

    private void assertForces(Durability durability) throws Throwable {
        FaultyStorageIo io = new FaultyStorageIo();
        stack.close();
        Files.delete(path);
        stack = BStack.open(path, options().withIo(io).withDurability(durability));
        stack.push(new byte[600]);
        for (Object[] m : journaledMutations()) {
            long forces = io.forces();
            ((Executable) m[1]).execute();
            int sync = (int) m[2];
            int expected = durability == Durability.SYNC ? sync
                    : durability == Durability.ASYNC && sync == 4 ? 4 : 0;
            assertEquals(expected, io.forces() - forces, durability + " " + m[0]);
        }
    }

    @Test
    void aJournaledWriteForcesFourTimesAndADirectOneOnce() throws Throwable {
        assertForces(Durability.SYNC);
    }

    @Test
    void asyncKeepsTheJournalsBarriersSoJournaledWritesStayAtomic() throws Throwable {
        assertForces(Durability.ASYNC);
    }

    @Test
    void noneForcesNothingAtAll() throws Throwable {
        assertForces(Durability.NONE);
    }

    @Test
    void aFileWeWriteHasTheReferenceLayoutByteForByte() throws IOException {
        stack.push("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        stack.push(new byte[400]);
        stack.set(200, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                23, 24, 25, 26, 27, 28, 29, 30}); // journaled: crosses file offset 256
        ByteBuffer expected = ByteBuffer.allocate(32 + 405).order(ByteOrder.LITTLE_ENDIAN);
        expected.put(new byte[] {'B', 'S', 'T', 'K', 0, 4, 4, 0}).putLong(405).putLong(0).putLong(0);
        expected.put("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 1; i <= 30; i++) {
            expected.put(32 + 200 + i - 1, (byte) i);
        }
        assertArrayEquals(expected.array(), Files.readAllBytes(path), "at rest: header, payload, no stage");
    }

    @Test
    void filesOfEveryReferencePatchOpenAndKeepTheirMagic() throws IOException {
        stack.close();
        for (int patch : new int[] {0, 3, 4, 9}) {
            ByteBuffer file = ByteBuffer.allocate(32 + 3).order(ByteOrder.LITTLE_ENDIAN);
            file.put(new byte[] {'B', 'S', 'T', 'K', 0, 4, (byte) patch, 0}).putLong(3).putLong(0).putLong(0)
                    .put(new byte[] {7, 8, 9});
            Files.write(path, file.array());
            try (BStack s = BStack.open(path)) {
                assertArrayEquals(new byte[] {7, 8, 9}, s.peek(0));
                s.push(new byte[] {10});
            }
            assertEquals(patch, Files.readAllBytes(path)[6], "open never rewrites the magic");
        }
        stack = BStack.open(path);
    }
}
