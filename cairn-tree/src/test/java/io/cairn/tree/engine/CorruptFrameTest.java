package io.cairn.tree.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Impossible frame contents must surface as {@link CorruptedStoreException}, never as a hang, a stray runtime
 * exception or (where the damage is detectable) wrong data: readers validate node types, offsets and path lengths
 * as they walk.
 */
class CorruptFrameTest {
    private static Engine filled() {
        Engine art = Engine.inMemory(FrameFormat.DEFAULT_FRAME_SIZE, 8);
        for (int i = 0; i < 2000; i++) {
            byte[] k = ("dir-" + (i % 7) + "/file-" + i).getBytes(UTF_8);
            art.put(k, k);
        }
        return art;
    }

    @Test
    void invalidNodeTypeOnThePathIsReportedAsCorruption() {
        Engine art = filled();
        Frame f = art.root();
        int root = f.root();
        f.putU8(root + FrameFormat.TYPE_OFFSET, 0x7F);
        byte[] key = "dir-1/file-1".getBytes(UTF_8);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Engines.get(art, key));
        assertInstanceOf(CorruptedStoreException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("invalid node type 127"), e.getCause().getMessage());
        assertThrows(UncheckedIOException.class, () -> Engines.scan(art, -1, 100));
        art.close();
    }

    @Test
    void aCycleOfNodesIsReportedInsteadOfLoopingForever() {
        Engine art = filled();
        Frame f = art.root();
        int split = f.bump();
        f.putU32(FrameFormat.BUMP_OFFSET, split + FrameFormat.SPLIT_SIZE);
        f.putU8(split + FrameFormat.TYPE_OFFSET, FrameFormat.T_SPLIT);
        f.putU8(split + FrameFormat.SPLIT_PIVOT, 'x');
        f.link(split + FrameFormat.SPLIT_LEFT, split); // points at itself
        f.link(split + FrameFormat.SPLIT_RIGHT, split);
        f.link(FrameFormat.ROOT_OFFSET, split);
        byte[] key = "dir-1/file-1".getBytes(UTF_8);
        assertInstanceOf(CorruptedStoreException.class,
                assertThrows(UncheckedIOException.class, () -> Engines.get(art, key)).getCause());
        assertInstanceOf(CorruptedStoreException.class,
                assertThrows(UncheckedIOException.class, () -> Engines.scan(art, -1, 100)).getCause());
        assertInstanceOf(CorruptedStoreException.class,
                assertThrows(UncheckedIOException.class, art::shape).getCause());
        art.close();
    }

    @Test
    void randomByteDamageNeverHangsOrEscapesAsAnotherException() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            Engine art = filled();
            Frame f = art.root();
            for (int j = 0; j < 4; j++) {
                int at = FrameFormat.DATA_START + rnd.nextInt(f.bump() - FrameFormat.DATA_START);
                f.putU8(at, rnd.nextInt(256));
            }
            byte[] k = ("dir-" + rnd.nextInt(7) + "/file-" + rnd.nextInt(2000)).getBytes(UTF_8);
            try {
                Engines.get(art, k);
                art.longestPrefix(art.live(), k, 0, (key, value, version) -> key);
                Engines.scan(art, '/', 1000);
            } catch (UncheckedIOException e) {
                assertInstanceOf(CorruptedStoreException.class, e.getCause());
            } finally {
                art.close();
            }
        }
    }

    @Test
    void undamagedTreeReadsBackAfterTheDamageTests() {
        Engine art = filled();
        assertArrayEquals("dir-3/file-10".getBytes(UTF_8), Engines.get(art, "dir-3/file-10".getBytes(UTF_8)).value());
        art.close();
    }
}
