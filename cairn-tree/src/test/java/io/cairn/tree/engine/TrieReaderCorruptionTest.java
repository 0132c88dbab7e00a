package io.cairn.tree.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Impossible frame contents met by a trie walk ({@link TrieReader}) surface as {@link CorruptedStoreException}, never
 * as a hang or another exception: a cycle of Splits, an invalid node type, random byte damage anywhere in a frame.
 */
class TrieReaderCorruptionTest {

    /** The simplest node a reader can store positions in. */
    record Pos(Pos parent, int label, int depth, int frameId, long version, int node, int consumed) {}

    private static final TrieReader.Positions<Pos> POSITIONS = new TrieReader.Positions<>() {
        @Override
        public Pos make(Pos parent, int label, int frameId, long version, int node, int consumed) {
            return new Pos(parent, label, parent == null ? 0 : parent.depth + 1, frameId, version, node, consumed);
        }

        @Override
        public Pos parent(Pos n) {
            return n.parent;
        }

        @Override
        public int label(Pos n) {
            return n.label;
        }

        @Override
        public int depth(Pos n) {
            return n.depth;
        }

        @Override
        public int frameId(Pos n) {
            return n.frameId;
        }

        @Override
        public long version(Pos n) {
            return n.version;
        }

        @Override
        public int node(Pos n) {
            return n.node;
        }

        @Override
        public int consumed(Pos n) {
            return n.consumed;
        }
    };

    private static Engine filled() {
        Engine art = Engine.inMemory(FrameFormat.DEFAULT_FRAME_SIZE, 8);
        for (int i = 0; i < 2000; i++) {
            byte[] k = ("dir-" + (i % 7) + "/file-" + i).getBytes(UTF_8);
            art.put(k, k);
        }
        return art;
    }

    /**
     * Walks every node depth first with an explicit stack (a damaged tree may hold paths as long as the longest key),
     * reading finality, values and children; returns the keys found.
     */
    private static int walk(TrieReader<Pos> reader, Pos root) {
        java.util.ArrayDeque<Pos> stack = new java.util.ArrayDeque<>();
        stack.push(root);
        int keys = 0;
        while (!stack.isEmpty()) {
            Pos n = stack.pop();
            boolean withValue = reader.record(n, (value, version) -> value) != null;
            if (reader.isFinal(n) != withValue) {
                throw new AssertionError("isFinal and record disagree");
            }
            keys += withValue ? 1 : 0;
            java.util.List<Pos> children = new java.util.ArrayList<>();
            reader.forEachChild(n, (b, child) -> children.add(child));
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.push(children.get(i));
            }
        }
        return keys;
    }

    @Test
    void anUndamagedTreeWalksToEveryKey() {
        Engine art = filled();
        assertEquals(2000, walk(new TrieReader<>(art.live(), new byte[0], POSITIONS),
                new TrieReader<>(art.live(), new byte[0], POSITIONS).root()));
        art.close();
    }

    @Test
    void aCycleOfSplitsIsReportedInsteadOfLoopingForever() {
        Engine art = filled();
        Frame f = art.root();
        int split = f.bump();
        f.putU32(FrameFormat.BUMP_OFFSET, split + FrameFormat.SPLIT_SIZE);
        f.putU8(split + FrameFormat.TYPE_OFFSET, FrameFormat.T_SPLIT);
        f.putU8(split + FrameFormat.SPLIT_PIVOT, 'x');
        f.link(split + FrameFormat.SPLIT_LEFT, split);
        f.link(split + FrameFormat.SPLIT_RIGHT, split);
        f.link(FrameFormat.ROOT_OFFSET, split);
        TrieReader<Pos> reader = new TrieReader<>(art.live(), new byte[0], POSITIONS);
        Pos root = reader.root();
        for (Runnable r : new Runnable[] {() -> reader.isFinal(root), () -> reader.child(root, 'd'),
                () -> reader.childCount(root), () -> new TrieReader<>(art.live(), "dir".getBytes(UTF_8),
                        POSITIONS).root()}) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, r::run);
            assertInstanceOf(CorruptedStoreException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("split cycle"), e.getCause().getMessage());
        }
        art.close();
    }

    @Test
    void anInvalidNodeTypeIsReportedAsCorruption() {
        Engine art = filled();
        Frame f = art.root();
        f.putU8(f.root() + FrameFormat.TYPE_OFFSET, 0x7F);
        TrieReader<Pos> reader = new TrieReader<>(art.live(), new byte[0], POSITIONS);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> walk(reader, reader.root()));
        assertInstanceOf(CorruptedStoreException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("invalid node type 127"), e.getCause().getMessage());
        art.close();
    }

    @Test
    void randomByteDamageNeverHangsOrEscapesAsAnotherException() {
        SplittableRandom rnd = new SplittableRandom(7);
        int corrupt = 0;
        for (int round = 0; round < 200; round++) {
            Engine art = filled();
            Frame f = art.root();
            for (int j = 0; j < 4; j++) {
                int at = FrameFormat.DATA_START + rnd.nextInt(f.bump() - FrameFormat.DATA_START);
                f.putU8(at, rnd.nextInt(256));
            }
            try {
                TrieReader<Pos> reader = new TrieReader<>(art.live(), new byte[0], POSITIONS);
                walk(reader, reader.root());
            } catch (UncheckedIOException e) {
                assertInstanceOf(CorruptedStoreException.class, e.getCause());
                corrupt++;
            } finally {
                art.close();
            }
        }
        assertTrue(corrupt > 20, "most damage is found: " + corrupt);
    }
}
