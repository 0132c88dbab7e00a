package io.cairn.tree.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Scans reuse a tree's idle walkers (seen through the buffer each walker fills): same thread, same walker; a
 * nested scan gets its own.
 */
class WalkerPoolTest {

    private static ScanBuffer scan(Engine engine, long limit) {
        return engine.scan(engine.live(), new byte[0], null, -1, false, limit);
    }

    @Test
    void aThreadGetsBackTheWalkerItReturnedAndANestedScanAFreshOne() {
        Engine engine = Engine.inMemory(FrameFormat.DEFAULT_FRAME_SIZE, 8);
        try {
            engine.put("k".getBytes(StandardCharsets.UTF_8), new byte[] {1});
            ScanBuffer first = scan(engine, 10);
            assertEquals(1, first.size());
            first.release();
            ScanBuffer again = scan(engine, 10);
            assertSame(first, again, "the idle walker is reused");
            ScanBuffer nested = scan(engine, 10);
            assertNotSame(again, nested, "a scan inside a scan must not share the outer one's buffers");
            assertEquals(1, nested.size());
            nested.release();
            again.release();
            ScanBuffer last = scan(engine, 10);
            assertSame(again, last, "the slot keeps the walker that came back last");
            last.release();
        } finally {
            engine.close();
        }
    }

    @Test
    void anIdleWalkerHoldsNoFrameOfItsLastPass() throws ReflectiveOperationException {
        Engine engine = Engine.inMemory(16 << 10, 4096);
        try {
            for (int i = 0; i < 4000; i++) {
                engine.put(("dir-" + i % 7 + "/file-" + i).getBytes(StandardCharsets.UTF_8), new byte[24]);
            }
            ScanBuffer out = scan(engine, Long.MAX_VALUE);
            assertEquals(4000, out.size());
            assertTrue(engine.table().liveCount() > 8, "the pass crossed many frames");
            Field owner = ScanBuffer.class.getDeclaredField("owner");
            owner.setAccessible(true);
            Walker w = (Walker) owner.get(out);
            out.release();
            for (String field : new String[] {"seen", "stackFrames"}) {
                Field f = Walker.class.getDeclaredField(field);
                f.setAccessible(true);
                for (Object frame : (Object[]) f.get(w)) {
                    assertNull(frame, field + " still references a frame");
                }
            }
        } finally {
            engine.close();
        }
    }

    @Test
    void treesDoNotShareWalkers() {
        Engine a = Engine.inMemory(FrameFormat.DEFAULT_FRAME_SIZE, 8);
        Engine b = Engine.inMemory(FrameFormat.DEFAULT_FRAME_SIZE, 8);
        try {
            ScanBuffer w = scan(a, 10);
            w.release();
            ScanBuffer other = scan(b, 10);
            assertNotSame(w, other);
            other.release();
            ScanBuffer again = scan(a, 10);
            assertSame(w, again);
            again.release();
        } finally {
            a.close();
            b.close();
        }
    }
}
