package io.cairn.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Scans reuse a tree's idle walkers: same thread, same walker; a nested scan gets its own. */
class WalkerPoolTest {

    private static Walker borrow(Art art) {
        return Walker.borrow(art, art, new byte[0], null, -1, false, 10, false);
    }

    @Test
    void aThreadGetsBackTheWalkerItReturnedAndANestedScanAFreshOne() {
        Art art = new Art(FrameFormat.DEFAULT_FRAME_SIZE, 8);
        try {
            art.write(Art.Kind.PUT, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1}, 0);
            Walker first = borrow(art);
            art.walk(first);
            assertEquals(1, first.out.size());
            first.release();
            Walker again = borrow(art);
            assertSame(first, again, "the idle walker is reused");
            Walker nested = borrow(art);
            assertNotSame(again, nested, "a scan inside a scan must not share the outer one's buffers");
            art.walk(nested);
            assertEquals(1, nested.out.size());
            nested.release();
            again.release();
            assertSame(again, borrow(art), "the slot keeps the walker that came back last");
        } finally {
            art.table.close();
        }
    }

    @Test
    void anIdleWalkerHoldsNoFrameOfItsLastPass() throws ReflectiveOperationException {
        Art art = new Art(16 << 10, 4096);
        try {
            for (int i = 0; i < 4000; i++) {
                art.write(Art.Kind.PUT, ("dir-" + i % 7 + "/file-" + i).getBytes(StandardCharsets.UTF_8),
                        new byte[24], 0);
            }
            Walker w = Walker.borrow(art, art, new byte[0], null, -1, false, Long.MAX_VALUE, false);
            art.walk(w);
            assertEquals(4000, w.out.size());
            assertTrue(art.table.liveCount() > 8, "the pass crossed many frames");
            w.release();
            for (String field : new String[] {"seen", "stackFrames"}) {
                Field f = Walker.class.getDeclaredField(field);
                f.setAccessible(true);
                for (Object frame : (Object[]) f.get(w)) {
                    assertNull(frame, field + " still references a frame");
                }
            }
        } finally {
            art.table.close();
        }
    }

    @Test
    void treesDoNotShareWalkers() {
        Art a = new Art(FrameFormat.DEFAULT_FRAME_SIZE, 8);
        Art b = new Art(FrameFormat.DEFAULT_FRAME_SIZE, 8);
        try {
            Walker w = borrow(a);
            w.release();
            assertNotSame(w, borrow(b));
            assertSame(w, borrow(a));
        } finally {
            a.table.close();
            b.table.close();
        }
    }
}
