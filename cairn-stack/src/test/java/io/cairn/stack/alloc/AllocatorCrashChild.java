package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * The child JVM of {@link AllocatorKillDriver}: allocates, writes, reallocates and frees at random (lengths as
 * {@link #randomLength}) on a stack until it is killed, printing a line after each operation returns:
 * <pre>
 * READY                     the allocator is open
 * A offset length crc       allocated and written
 * B offset length           about to realloc or free this allocation (its state is unknown until the next line)
 * R offset length crc       the realloc returned this allocation, written with this content
 * F                         the free returned
 * </pre>
 * Arguments: factory class name, stack path, seed, {@code create} or {@code open}.
 */
public final class AllocatorCrashChild {
    private AllocatorCrashChild() {}

    public static void main(String[] args) throws IOException {
        AllocatorFactory factory = AllocatorFactory.byClassName(args[0]);
        Path path = Path.of(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        // A SIGKILL cannot drop what reached the page cache, so forces change nothing the parent can observe; without
        // them (four per journaled write on a 0.4 stack) the child acknowledges many more operations per second.
        BStack stack = BStack.open(path, BStackOptions.defaults().withDurability(Durability.NONE));
        Allocator allocator = args[3].equals("create") ? factory.create(stack) : factory.open(stack);
        PrintStream out = System.out;
        out.println("READY");
        out.flush();
        List<Slice> live = new ArrayList<>();
        while (true) {
            int dice = random.nextInt(100);
            if (dice < 50 || live.isEmpty()) {
                Slice s = allocator.alloc(randomLength(random));
                byte[] content = randomBytes(random, s.length());
                s.write(content);
                live.add(s);
                out.println("A " + s.offset() + " " + s.length() + " " + crc(content));
            } else if (dice < 75) {
                Slice old = live.remove(random.nextInt(live.size()));
                out.println("B " + old.offset() + " " + old.length());
                out.flush();
                Slice s;
                try {
                    s = allocator.realloc(old, randomLength(random));
                } catch (UnsupportedOperationException e) {
                    s = old;
                }
                byte[] content = randomBytes(random, s.length());
                s.write(content);
                live.add(s);
                out.println("R " + s.offset() + " " + s.length() + " " + crc(content));
            } else {
                Slice old = live.remove(random.nextInt(live.size()));
                out.println("B " + old.offset() + " " + old.length());
                out.flush();
                allocator.dealloc(old);
                out.println("F");
            }
            out.flush();
        }
    }

    /** 1..1024 bytes, one in fifty up to 12,000 (past the segregated classes, over many slab blocks). */
    private static int randomLength(Random random) {
        return 1 + random.nextInt(random.nextInt(50) == 0 ? 12_000 : 1024);
    }

    static long crc(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return crc.getValue();
    }

    private static byte[] randomBytes(Random random, long length) {
        byte[] b = new byte[(int) length];
        random.nextBytes(b);
        return b;
    }
}
