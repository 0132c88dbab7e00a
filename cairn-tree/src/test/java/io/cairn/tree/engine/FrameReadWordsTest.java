package io.cairn.tree.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Frame#readWords} moves runs in blocks and words that may overrun the run: every length and alignment must
 * still copy exactly the run, write nothing beyond {@link Frame#WORD_SLACK}, and stay inside the frame at its end.
 */
class FrameReadWordsTest {
    private static final int SIZE = 4096;

    @Test
    void everyLengthAndOffsetCopiesExactlyTheRun() {
        try (Arena arena = Arena.ofConfined()) {
            Frame f = new Frame(arena.allocate(SIZE, 8), 0);
            for (int i = 0; i < SIZE; i++) {
                f.putU8(i, i * 31 + 7);
            }
            int[] offsets = {0, 1, 7, 8, 13, 100, SIZE - 700, SIZE - 65, SIZE - 64, SIZE - 40, SIZE - 33, SIZE - 32,
                    SIZE - 9, SIZE - 8, SIZE - 1, SIZE};
            for (int off : offsets) {
                for (int len = 0; len <= Math.min(600, SIZE - off); len++) {
                    for (int at : new int[] {0, 3}) {
                        byte[] dst = new byte[at + len + Frame.WORD_SLACK + 16];
                        Arrays.fill(dst, (byte) 0x5A);
                        f.readWords(off, dst, at, len);
                        byte[] expected = new byte[len];
                        f.read(off, expected, 0, len);
                        assertArrayEquals(expected, Arrays.copyOfRange(dst, at, at + len),
                                "off " + off + " len " + len + " at " + at);
                        for (int i = 0; i < at; i++) {
                            assertEquals(0x5A, dst[i], "wrote before the run");
                        }
                        for (int i = at + len + Frame.WORD_SLACK; i < dst.length; i++) {
                            assertEquals(0x5A, dst[i], "wrote past the slack: off " + off + " len " + len);
                        }
                    }
                }
            }
        }
    }
}
