package io.cairn.stack;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of the 0.4 recovery table on hand-made files, laid out as an interrupted reference write leaves them:
 * the header (clen, wipPtr, wipAux), the committed payload, and the stage past it. A valid armed journal rolls
 * forward, anything that does not validate rolls back, and either way the file ends at rest (size 32 + length,
 * journal disarmed). Recovery is idempotent: a crash during it (any write or force failed, then a power loss)
 * leaves a file that the next open brings to the same state.
 */
class BStackJournalRecoveryTest {
    private static final int H = BStackFormatV04.HEADER_SIZE;
    /** The committed payload of every file: 600 bytes. */
    private static final byte[] BASE = pattern(600, 1);

    @TempDir
    Path dir;

    /** A 0.4 file: header (clen, wipPtr, wipAux), then {@code body} (the payload and any stage). */
    private Path file(long clen, long wipPtr, long wipAux, byte[] body) throws IOException {
        Path path = dir.resolve("j.bstack");
        Files.write(path, cat(BStackFormatV04.MAGIC, words(clen, wipPtr, wipAux), body));
        return path;
    }

    /** An armed journal over {@link #BASE} with {@code stage} after it. */
    private Path armed(long target, long mode, byte[] stage) throws IOException {
        return file(BASE.length, target < 0 ? 0 : H + target, mode, cat(BASE, stage));
    }

    /** Opens for writing, checks the content and that the file is left at rest with the journal disarmed. */
    private static void assertRecoversTo(Path path, byte[] expected) throws IOException {
        try (BStack stack = BStack.open(path)) {
            assertArrayEquals(expected, stack.peek(0));
        }
        byte[] file = Files.readAllBytes(path);
        assertEquals(H + expected.length, file.length, "the file is cut to its length");
        assertArrayEquals(words(expected.length, 0, 0), Arrays.copyOfRange(file, 8, 32), "clen, disarmed");
    }

    // ---------------------------------------------------------------- disarmed: the length rule

    @Test
    void aConsistentFileIsNeitherWrittenNorForced() throws IOException {
        Path path = file(BASE.length, 0, 0, BASE);
        FaultyStorageIo io = new FaultyStorageIo();
        BStack.open(path, BStackOptions.defaults().withIo(io)).close();
        assertEquals(0, io.writes());
        assertEquals(0, io.forces());
        assertTrue(BStack.check(path).isConsistent());
    }

    @Test
    void aDisarmedStageOrTornPushIsCut() throws IOException {
        assertRecoversTo(file(BASE.length, 0, 0, cat(BASE, pattern(77, 2))), BASE);
    }

    @Test
    void aClenBeyondTheFileIsLowered() throws IOException {
        assertRecoversTo(file(BASE.length + 50, 0, 0, BASE), BASE);
    }

    @Test
    void aStaleModeWithoutATargetFollowsTheLengthRuleAndIsLeftAsTheReferenceLeavesIt() throws IOException {
        Path path = file(BASE.length, 0, MODE_REPEAT, cat(BASE, pattern(9, 2)));
        try (BStack stack = BStack.open(path)) {
            assertArrayEquals(BASE, stack.peek(0));
        }
        assertArrayEquals(words(BASE.length, 0, MODE_REPEAT), Arrays.copyOfRange(Files.readAllBytes(path), 8, 32));
    }

    // ---------------------------------------------------------------- Set

    @Test
    void anArmedSetRollsForward() throws IOException {
        byte[] stage = pattern(40, 3);
        Path path = armed(210, MODE_SET, stage);
        BStackCheck check = BStack.check(path);
        assertTrue(check.journalArmed());
        assertFalse(check.isConsistent());
        assertTrue(check.recovery().startsWith("roll forward an interrupted Set write"), check.recovery());
        assertRecoversTo(path, overwrite(BASE, 210, stage));
    }

    @Test
    void anArmedSetWhoseInPlaceWriteTornIsFinished() throws IOException {
        byte[] stage = pattern(40, 3);
        byte[] torn = overwrite(BASE, 210, Arrays.copyOf(stage, 17)); // the in-place write got 17 bytes in
        assertRecoversTo(file(BASE.length, H + 210, MODE_SET, cat(torn, stage)), overwrite(BASE, 210, stage));
    }

    @Test
    void anArmedSetThatDoesNotValidateRollsBack() throws IOException {
        assertRecoversTo(armed(210, MODE_SET, new byte[0]), BASE); // no stage
        assertRecoversTo(armed(580, MODE_SET, pattern(40, 3)), BASE); // target + stage past clen
        assertRecoversTo(file(BASE.length, 5, MODE_SET, cat(BASE, pattern(40, 3))), BASE); // pointer in the header
    }

    // ---------------------------------------------------------------- Repeat

    @Test
    void anArmedRepeatRollsForward() throws IOException {
        byte[] abc = {'a', 'b', 'c'};
        byte[] expected = BASE.clone();
        for (int i = 0; i < 30; i++) {
            System.arraycopy(abc, 0, expected, 200 + 3 * i, 3);
        }
        assertRecoversTo(armed(200, MODE_REPEAT, cat(words(30), abc)), expected);
        assertRecoversTo(armed(100, MODE_REPEAT, cat(words(400), new byte[1])), overwrite(BASE, 100, new byte[400]));
    }

    @Test
    void anArmedRepeatThatDoesNotValidateRollsBack() throws IOException {
        assertRecoversTo(armed(200, MODE_REPEAT, words(30)), BASE); // empty pattern
        assertRecoversTo(armed(200, MODE_REPEAT, new byte[5]), BASE); // torn count
        assertRecoversTo(armed(200, MODE_REPEAT, cat(words(1L << 62), new byte[8])), BASE); // k * |s| overflows
        assertRecoversTo(armed(200, MODE_REPEAT, cat(words(200), new byte[3])), BASE); // 600 bytes past clen
    }

    // ---------------------------------------------------------------- Copy

    @Test
    void anArmedCopyRollsForward() throws IOException {
        byte[] expected = BASE.clone();
        System.arraycopy(BASE, 0, expected, 300, 100);
        assertRecoversTo(armed(300, MODE_COPY, words(0, 100)), expected);
    }

    @Test
    void anArmedCopyThatDoesNotValidateRollsBack() throws IOException {
        assertRecoversTo(armed(150, MODE_COPY, words(100, 200)), BASE); // overlapping
        assertRecoversTo(armed(300, MODE_COPY, words(0, 0)), BASE); // nothing to copy
        assertRecoversTo(armed(300, MODE_COPY, words(550, 100)), BASE); // source past clen
        assertRecoversTo(armed(550, MODE_COPY, words(0, 100)), BASE); // target past clen
        assertRecoversTo(armed(300, MODE_COPY, new byte[10]), BASE); // torn stage
    }

    // ---------------------------------------------------------------- Splice

    @Test
    void anArmedSpliceGrowRollsForwardToTheLengthTheFileSizeImplies() throws IOException {
        byte[] dn = pattern(9, 4); // replaces the last 4 bytes: a = 596, clen' = 605, staged at S = clen' = 605
        Path path = file(BASE.length, H + 596, MODE_SPLICE_GROW, cat(BASE, new byte[5], dn));
        assertEquals(605, BStack.check(path).recoveredLength());
        assertRecoversTo(path, cat(Arrays.copyOf(BASE, 596), dn));
    }

    @Test
    void anArmedSpliceShrinkRollsForward() throws IOException {
        byte[] dn = pattern(4, 4); // replaces the last 9 bytes: a = 591, clen' = 595, staged at S = clen = 600
        assertRecoversTo(file(BASE.length, H + 591, MODE_SPLICE_SHRINK, cat(BASE, dn)), cat(Arrays.copyOf(BASE, 591), dn));
    }

    @Test
    void anInconsistentSpliceRollsBack() throws IOException {
        byte[] dn = pattern(9, 4);
        assertRecoversTo(file(BASE.length, H + 596, MODE_SPLICE_GROW, cat(BASE, new byte[5], dn, new byte[1])),
                BASE); // one byte too many
        assertRecoversTo(file(BASE.length, H + 595, MODE_SPLICE_GROW, cat(BASE, new byte[5], dn)),
                BASE); // odd sum: no clen' gives this size
        assertRecoversTo(file(BASE.length, H + 591, MODE_SPLICE_GROW, cat(BASE, pattern(4, 4))),
                BASE); // the size says shrink, the mode says grow
        assertRecoversTo(file(BASE.length, H + 700, MODE_SPLICE_SHRINK, cat(BASE, pattern(4, 4))),
                BASE); // splice point past clen
    }

    // ---------------------------------------------------------------- MultiWrite

    @Test
    void anArmedMultiWriteRollsForward() throws IOException {
        byte[] four = pattern(4, 5);
        byte[] forty = pattern(40, 6);
        byte[] stage = cat(words(3, 7), four, words(220, 260), forty, words(600, 600));
        assertRecoversTo(armed(-1, MODE_MULTI_WRITE, stage), overwrite(overwrite(BASE, 3, four), 220, forty));
    }

    @Test
    void aMalformedMultiWriteRollsBackWholly() throws IOException {
        byte[] block = cat(words(3, 7), pattern(4, 5));
        assertRecoversTo(armed(-1, MODE_MULTI_WRITE, cat(block, new byte[5])), BASE); // trailing partial header
        assertRecoversTo(armed(-1, MODE_MULTI_WRITE, cat(block, words(590, 610), new byte[20])), BASE); // e > clen
        assertRecoversTo(armed(-1, MODE_MULTI_WRITE, cat(block, words(10, 5))), BASE); // e < s
        assertRecoversTo(armed(-1, MODE_MULTI_WRITE, cat(block, words(10, 50), new byte[39])), BASE); // data cut
        assertRecoversTo(armed(-1, MODE_MULTI_WRITE, new byte[0]), BASE); // nothing staged: just disarmed
    }

    // ---------------------------------------------------------------- what never replays

    @Test
    void aTargetWithTheMultiWriteModeOrAnUnknownModeRollsBack() throws IOException {
        byte[] stage = cat(words(3, 7), pattern(4, 5));
        assertRecoversTo(armed(100, MODE_MULTI_WRITE, stage), BASE);
        assertRecoversTo(armed(100, 12345, stage), BASE);
        assertRecoversTo(armed(100, -1L, stage), BASE); // the reserved value
        assertRecoversTo(armed(100, -7L, stage), BASE); // MultiAtrunc: specified for 0.5, not a 0.4 mode
    }

    @Test
    void anArmedHeaderWhoseClenExceedsTheFileIsCorruptionAndNothingIsWritten() throws IOException {
        Path path = file(BASE.length + 1000, H + 10, MODE_SET, cat(BASE, pattern(40, 3)));
        byte[] before = Files.readAllBytes(path);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> BStack.open(path));
        assertEquals(path, e.path());
        assertEquals(BStackFormatV04.CLEN_OFFSET, e.offset());
        assertEquals("1600", e.found());
        assertArrayEquals(before, Files.readAllBytes(path));
    }

    // ---------------------------------------------------------------- read-only opens and idempotence

    @Test
    void aReadOnlyOpenRefusesAJournalThatNeedsAReplayAndOpensOneThatRollsBack() throws IOException {
        Path replay = armed(210, MODE_SET, pattern(40, 3));
        byte[] before = Files.readAllBytes(replay);
        InterruptedWriteException e = assertThrows(InterruptedWriteException.class, () -> BStack.openReadOnly(replay));
        assertTrue(e.getMessage().contains("open it for writing"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(replay));
        Path rollBack = armed(210, MODE_SET, new byte[0]);
        try (BStack stack = BStack.openReadOnly(rollBack)) {
            assertArrayEquals(BASE, stack.peek(0));
        }
    }

    @Test
    void aCrashDuringRecoveryLeavesAFileTheNextOpenRecoversTheSameWay() throws IOException {
        byte[] dn = pattern(9, 4);
        byte[][][] rows = { // {file body, header words, expected}
            {cat(BASE, pattern(40, 3)), words(600, H + 210, MODE_SET), overwrite(BASE, 210, pattern(40, 3))},
            {cat(BASE, new byte[5], dn), words(600, H + 596, MODE_SPLICE_GROW), cat(Arrays.copyOf(BASE, 596), dn)},
            {cat(BASE, words(0, 100)), words(600, H + 300, MODE_COPY), overwrite(BASE, 300, Arrays.copyOf(BASE, 100))},
            {cat(BASE, words(3, 7), pattern(4, 5)), words(600, 0, MODE_MULTI_WRITE), overwrite(BASE, 3, pattern(4, 5))},
        };
        for (byte[][] row : rows) {
            for (String fault : new String[] {"write", "tear", "force"}) {
                for (int n = 1; n <= 4; n++) {
                    Path path = dir.resolve("idem.bstack");
                    Files.write(path, cat(BStackFormatV04.MAGIC, row[1], row[0]));
                    FaultyStorageIo io = new FaultyStorageIo();
                    io.atomicWriteBlock(BStackFormatV04.ATOMIC_BLOCK);
                    switch (fault) {
                        case "write" -> io.failWrite(n);
                        case "tear" -> io.tearWrite(n);
                        default -> io.failForce(n);
                    }
                    try {
                        BStack.open(path, BStackOptions.defaults().withIo(io)).close();
                    } catch (IOException expected) {
                        // recovery was interrupted
                    }
                    io.crash();
                    assertRecoversTo(path, row[2]);
                }
            }
        }
    }
}
