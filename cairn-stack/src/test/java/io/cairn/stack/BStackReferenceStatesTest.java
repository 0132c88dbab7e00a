package io.cairn.stack;

import static io.cairn.stack.BStackFormatV04.HEADER_SIZE;
import static io.cairn.stack.BStackFormatV04.MODE_COPY;
import static io.cairn.stack.BStackFormatV04.MODE_MULTI_WRITE;
import static io.cairn.stack.BStackFormatV04.MODE_REPEAT;
import static io.cairn.stack.BStackFormatV04.MODE_SET;
import static io.cairn.stack.BStackFormatV04.MODE_SPLICE_GROW;
import static io.cairn.stack.BStackFormatV04.MODE_SPLICE_SHRINK;
import static io.cairn.stack.StackBytes.cat;
import static io.cairn.stack.StackBytes.overwrite;
import static io.cairn.stack.StackBytes.pattern;
import static io.cairn.stack.StackBytes.words;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop in the middle of a write: at every force of a 0.4 mutation, the whole file equals the file the reference
 * bstack (0.4.4; its C {@code journaled_set}, {@code journaled_repeat}, {@code journaled_copy}, {@code
 * journaled_move}, {@code journaled_multi_set}, {@code journaled_splice}, {@code set_in_place}) holds at the same
 * sync, byte for byte, and so does the file left at the end. A power loss keeps the state of some force (plus
 * later unforced writes, which the same barriers order the same way in both), so a file Cairn leaves after a crash
 * is one the reference's recovery reads as it reads its own, and the other way round: with the hand-made headers of
 * {@link BStackJournalRecoveryTest}, this is the interop of the journal, both ways.
 *
 * <p>The same holds for recovery: opening a file an interrupted write left forces the reference recovery's states,
 * in its order (replay, sync, commit and disarm, sync, cut, sync). {@code FaultyStorageIo} keeps unforced writes in
 * order, so only these states show that a barrier is where the protocol needs it.
 *
 * <p>The expected states are written from the reference's protocols (bstack-0.4.md §2), not from Cairn's code:
 * {@code header(clen, wipPtr, wipAux) payload stage}.
 */
class BStackReferenceStatesTest {
    /** 600 bytes: in-place writes inside one 256-byte block of the file and across blocks. */
    private static final byte[] BASE = pattern(600, 1);

    @TempDir
    Path dir;

    /** A 0.4 file as the reference 0.4.4 writes it: magic with patch 4, the three header words, then the body. */
    private static byte[] file(long clen, long wipPtr, long wipAux, byte[]... body) {
        return cat(new byte[] {'B', 'S', 'T', 'K', 0, 4, 4, 0}, words(clen, wipPtr, wipAux), cat(body));
    }

    /**
     * The states of a journaled in-place write (Set, Repeat, Copy, and Set for an overlapping move), one per sync:
     * staged, armed at {@code target} with {@code mode}, written in place, disarmed; then the stage is cut.
     */
    private static List<byte[]> journaled(long target, long mode, byte[] stage, byte[] after) {
        long clen = BASE.length;
        long wipPtr = target < 0 ? 0 : HEADER_SIZE + target;
        return List.of(file(clen, 0, 0, BASE, stage), file(clen, wipPtr, mode, BASE, stage),
                file(clen, wipPtr, mode, after, stage), file(clen, 0, MODE_SET, after, stage),
                file(clen, 0, 0, after));
    }

    /** A write inside one 256-byte block: written, synced once; nothing is cut after. */
    private static List<byte[]> direct(byte[] after) {
        byte[] state = file(after.length, 0, 0, after);
        return List.of(state, state);
    }

    /**
     * A length-changing tail replacement of the last {@code nOld} bytes by {@code dn}: staged at {@code S = max(clen,
     * clen')} (the file first set to {@code S + m}, so a grow leaves zeros between clen and S), armed at {@code a},
     * replayed to {@code a}, committed and disarmed in one write; then cut to {@code clen'}.
     */
    private static List<byte[]> splice(int nOld, byte[] dn) {
        int clen = BASE.length;
        int a = clen - nOld;
        int newLength = a + dn.length;
        long mode = dn.length > nOld ? MODE_SPLICE_GROW : MODE_SPLICE_SHRINK;
        byte[] staged = cat(BASE, new byte[Math.max(clen, newLength) - clen], dn);
        byte[] replayed = overwrite(staged, a, dn);
        byte[] after = Arrays.copyOf(replayed, newLength);
        return List.of(file(clen, 0, 0, staged), file(clen, HEADER_SIZE + a, mode, staged),
                file(clen, HEADER_SIZE + a, mode, replayed), file(newLength, 0, MODE_SET, replayed),
                file(newLength, 0, 0, after));
    }

    @FunctionalInterface
    private interface Mutation {
        void apply(BStack stack) throws IOException;
    }

    private record Case(String name, Mutation mutation, List<byte[]> reference) {}

    private static List<Case> cases() {
        byte[] forty = pattern(40, 2);
        byte[] four = pattern(4, 3);
        byte[] nine = pattern(9, 4);
        byte[] big = pattern(500, 5);
        byte[] twoHundred = pattern(200, 6);
        byte[] abc = {'a', 'b', 'c'};
        byte[] abc30 = new byte[90];
        for (int i = 0; i < abc30.length; i++) {
            abc30[i] = abc[i % 3];
        }
        byte[] copied = overwrite(BASE, 200, Arrays.copyOf(BASE, 100));
        byte[] moved = overwrite(BASE, 150, Arrays.copyOfRange(BASE, 100, 300));
        byte[] batched = overwrite(overwrite(overwrite(BASE, 3, four), 220, forty), 580, nine);
        return List.of(
                new Case("set inside one block", s -> s.set(5, nine), direct(overwrite(BASE, 5, nine))),
                new Case("set across a block (Set)", s -> s.set(210, forty),
                        journaled(210, MODE_SET, forty, overwrite(BASE, 210, forty))),
                new Case("set of 500 bytes (Set)", s -> s.set(60, big),
                        journaled(60, MODE_SET, big, overwrite(BASE, 60, big))),
                new Case("swap (Set)", s -> s.swap(200, forty),
                        journaled(200, MODE_SET, forty, overwrite(BASE, 200, forty))),
                new Case("zero (Repeat of one zero byte)", s -> s.zero(100, 400),
                        journaled(100, MODE_REPEAT, cat(words(400), new byte[1]),
                                overwrite(BASE, 100, new byte[400]))),
                new Case("repeat (Repeat)", s -> s.repeat(200, abc, 30),
                        journaled(200, MODE_REPEAT, cat(words(30), abc), overwrite(BASE, 200, abc30))),
                new Case("copy disjoint (Copy)", s -> s.copy(0, 200, 100),
                        journaled(200, MODE_COPY, words(0, 100), copied)),
                new Case("copy overlapping (the source staged, Set)", s -> s.copy(100, 150, 200),
                        journaled(150, MODE_SET, Arrays.copyOfRange(BASE, 100, 300), moved)),
                new Case("setBatched (MultiWrite)", s -> s.setBatched(Map.of(3L, four, 220L, forty, 580L, nine)),
                        journaled(-1, MODE_MULTI_WRITE, cat(words(3, 7), four, words(220, 260), forty,
                                words(580, 589), nine), batched)),
                new Case("atrunc growing (SpliceGrow)", s -> s.atrunc(4, nine), splice(4, nine)),
                new Case("atrunc shrinking (SpliceShrink)", s -> s.atrunc(9, four), splice(9, four)),
                new Case("replace growing past a block (SpliceGrow)", s -> s.replace(2, t -> big), splice(2, big)),
                new Case("atrunc same length across a block (Set)", s -> s.atrunc(200, twoHundred),
                        journaled(400, MODE_SET, twoHundred, overwrite(BASE, 400, twoHundred))),
                new Case("push", s -> s.push(nine), direct(cat(BASE, nine))),
                new Case("pop", s -> s.pop(7), direct(Arrays.copyOf(BASE, 593))),
                new Case("extend", s -> s.extend(6), direct(Arrays.copyOf(BASE, 606))));
    }

    /** Records the whole file at every force. */
    private static final class StatesAtForces extends ForwardingStorageIo {
        final List<byte[]> states = new ArrayList<>();

        StatesAtForces() {
            super(StorageIo.fileSystem());
        }

        @Override
        protected StorageFile wrap(StorageFile file) {
            return new ForwardingStorageFile(file) {
                @Override
                public void force() throws IOException {
                    super.force();
                    ByteBuffer whole = ByteBuffer.allocate((int) size());
                    read(0, whole);
                    states.add(whole.array());
                }
            };
        }
    }

    @TestFactory
    Stream<DynamicTest> everyForcedStateAndTheFinalFileAreTheReferences() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Path path = dir.resolve("states.bstack");
            Files.deleteIfExists(path);
            try (BStack stack = BStack.open(path, BStackOptions.defaults().withDurability(Durability.NONE))) {
                stack.push(BASE);
            }
            StatesAtForces io = new StatesAtForces();
            try (BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io))) {
                assertTrue(io.states.isEmpty(), "a clean open forces nothing");
                c.mutation().apply(stack);
            }
            assertStates(c.name(), c.reference(), io.states, path);
        }));
    }

    // ---------------------------------------------------------------- recovery

    /** A file an interrupted write left, and the reference recovery's states, one per sync, then the final file. */
    private record Interrupted(String name, byte[] file, List<byte[]> reference) {}

    /**
     * The states of the reference's recovery of an armed journal ({@code recover_wip}, {@code recover_multi_write}):
     * the replay (if the journal validates), sync; commit the final length and disarm in one write, sync; cut the
     * file, sync. The replay's sync is what keeps a power loss from leaving the journal disarmed and its stage cut
     * before the replayed bytes are on disk.
     */
    private static List<byte[]> recovered(byte[] replayed, byte[] stage, byte[] after) {
        List<byte[]> states = new ArrayList<>();
        if (replayed != null) {
            states.add(replayed);
        }
        byte[] committed = file(after.length, 0, MODE_SET, Arrays.copyOf(
                cat(after, stage), Math.max(after.length, BASE.length) + stage.length));
        states.add(committed);
        states.add(file(after.length, 0, 0, after));
        states.add(file(after.length, 0, 0, after));
        return states;
    }

    private static List<Interrupted> interrupted() {
        byte[] forty = pattern(40, 2);
        byte[] four = pattern(4, 3);
        byte[] nine = pattern(9, 4);
        byte[] set = overwrite(BASE, 210, forty);
        byte[] repeatStage = cat(words(30), new byte[] {'a', 'b', 'c'});
        byte[] repeated = BASE.clone();
        for (int i = 0; i < 90; i++) {
            repeated[200 + i] = repeatStage[8 + i % 3];
        }
        byte[] copyStage = words(0, 100);
        byte[] copied = overwrite(BASE, 200, Arrays.copyOf(BASE, 100));
        byte[] multiStage = cat(words(3, 7), four, words(220, 260), forty);
        byte[] multi = overwrite(overwrite(BASE, 3, four), 220, forty);
        byte[] grown = cat(Arrays.copyOf(BASE, 596), nine); // a = 596, clen' = 605, staged at 605
        byte[] growStaged = cat(BASE, new byte[5], nine);
        byte[] shrunk = cat(Arrays.copyOf(BASE, 591), four); // a = 591, clen' = 595, staged at 600
        byte[] junk = pattern(77, 9);
        return List.of(
                new Interrupted("armed Set", file(600, HEADER_SIZE + 210, MODE_SET, BASE, forty),
                        recovered(file(600, HEADER_SIZE + 210, MODE_SET, set, forty), forty, set)),
                new Interrupted("armed Set without a stage (rolled back)", file(600, HEADER_SIZE + 210, MODE_SET, BASE),
                        recovered(null, new byte[0], BASE)),
                new Interrupted("armed Repeat", file(600, HEADER_SIZE + 200, MODE_REPEAT, BASE, repeatStage),
                        recovered(file(600, HEADER_SIZE + 200, MODE_REPEAT, repeated, repeatStage), repeatStage,
                                repeated)),
                new Interrupted("armed Copy", file(600, HEADER_SIZE + 200, MODE_COPY, BASE, copyStage),
                        recovered(file(600, HEADER_SIZE + 200, MODE_COPY, copied, copyStage), copyStage, copied)),
                new Interrupted("armed MultiWrite", file(600, 0, MODE_MULTI_WRITE, BASE, multiStage),
                        recovered(file(600, 0, MODE_MULTI_WRITE, multi, multiStage), multiStage, multi)),
                new Interrupted("armed SpliceGrow", file(600, HEADER_SIZE + 596, MODE_SPLICE_GROW, growStaged),
                        List.of(file(600, HEADER_SIZE + 596, MODE_SPLICE_GROW, overwrite(growStaged, 596, nine)),
                                file(605, 0, MODE_SET, overwrite(growStaged, 596, nine)),
                                file(605, 0, 0, grown), file(605, 0, 0, grown))),
                new Interrupted("armed SpliceShrink", file(600, HEADER_SIZE + 591, MODE_SPLICE_SHRINK, BASE, four),
                        List.of(file(600, HEADER_SIZE + 591, MODE_SPLICE_SHRINK, overwrite(cat(BASE, four), 591, four)),
                                file(595, 0, MODE_SET, overwrite(cat(BASE, four), 591, four)),
                                file(595, 0, 0, shrunk), file(595, 0, 0, shrunk))),
                new Interrupted("disarmed, a torn push or stage past clen", file(600, 0, 0, BASE, junk),
                        List.of(file(600, 0, 0, BASE), file(600, 0, 0, BASE))),
                new Interrupted("disarmed, clen past the file", file(650, 0, 0, BASE),
                        List.of(file(600, 0, 0, BASE), file(600, 0, 0, BASE))));
    }

    @TestFactory
    Stream<DynamicTest> recoveryForcesTheReferencesStates() {
        return interrupted().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Path path = dir.resolve("recovered.bstack");
            Files.write(path, c.file());
            StatesAtForces io = new StatesAtForces();
            BStack.open(path, BStackOptions.defaults().withIo(io)).close();
            assertStates(c.name(), c.reference(), io.states, path);
        }));
    }

    /** {@code forced} (the file at each force) and then the file at {@code path} equal {@code expected}. */
    private static void assertStates(String name, List<byte[]> expected, List<byte[]> forced, Path path)
            throws IOException {
        List<byte[]> actual = new ArrayList<>(forced);
        actual.add(Files.readAllBytes(path));
        assertEquals(expected.size(), actual.size(), name + ": syncs + 1");
        for (int i = 0; i < expected.size(); i++) {
            String state = i < expected.size() - 1 ? "the state at sync " + (i + 1) : "the final file";
            assertArrayEquals(expected.get(i), actual.get(i), name + ": " + state + " differs from the reference's;"
                    + " Cairn's header " + HexFormat.of().formatHex(actual.get(i), 0, HEADER_SIZE) + ", size "
                    + actual.get(i).length);
        }
    }
}
