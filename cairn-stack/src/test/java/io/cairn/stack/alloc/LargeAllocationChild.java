package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A child JVM (heap capped by {@link io.cairn.stack.testkit.ChildJvm}) that makes first-fit allocations far larger
 * than its heap: a fresh one at the tail and a moving realloc of a small one. Prints {@code OK offset offset} when
 * both are zeroed (the moved one keeping its bytes), or the failure.
 * Arguments: stack path, length.
 */
public final class LargeAllocationChild {
    private LargeAllocationChild() {}

    public static void main(String[] args) throws IOException {
        long length = Long.parseLong(args[1]);
        try (FirstFitAllocator ff = FirstFitAllocator.open(BStack.open(Path.of(args[0]),
                BStackOptions.defaults().withDurability(Durability.NONE)))) {
            Slice small = ff.alloc(100);
            small.write(AllocatorContract.filled(100, 7));
            ff.alloc(8);
            Slice fresh = ff.alloc(length);
            Slice moved = ff.realloc(small, length);
            byte[] end = new byte[64];
            fresh.readRange(length - end.length, end);
            boolean zeroed = Arrays.equals(end, new byte[end.length]);
            moved.readRange(length - end.length, end);
            zeroed &= Arrays.equals(end, new byte[end.length]);
            byte[] head = new byte[100];
            moved.readRange(0, head);
            boolean kept = Arrays.equals(head, AllocatorContract.filled(100, 7));
            System.out.println(zeroed && kept ? "OK " + fresh.offset() + " " + moved.offset()
                    : "WRONG zeroed=" + zeroed + " kept=" + kept);
        } catch (Throwable e) {
            System.out.println("FAILED " + e);
        }
    }
}
