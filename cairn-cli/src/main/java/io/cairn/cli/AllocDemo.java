package io.cairn.cli;

import io.cairn.stack.BStack;
import io.cairn.stack.alloc.FirstFitAllocator;
import io.cairn.stack.alloc.Slice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The allocator layer in the demo: allocate, write, free, reopen, rebuild handles, verify. */
final class AllocDemo implements DemoSection {

    @Override
    public String title() {
        return "allocators: durable malloc/free inside a stack (first fit)";
    }

    @Override
    public void run(Context context) throws IOException {
        PrintStream out = context.out();
        Path file = context.dataDir().resolve("heap.stack");
        String[] records = {"alice: 3 orders", "bob: 1 order", "carol: 7 orders, 2 returns"};
        byte[][] handles = new byte[records.length][];
        try (FirstFitAllocator heap = FirstFitAllocator.open(BStack.open(file))) {
            for (int i = 0; i < records.length; i++) {
                byte[] bytes = records[i].getBytes(StandardCharsets.UTF_8);
                Slice slice = heap.alloc(bytes.length);
                slice.write(bytes);
                handles[i] = slice.toBytes();
                out.printf("  alloc %2d bytes -> offset %3d, wrote \"%s\"%n", bytes.length, slice.offset(), records[i]);
            }
            Slice bob = heap.slice(handles[1]);
            heap.dealloc(bob);
            out.printf("  free bob's record at offset %d%n", bob.offset());
            Slice dave = heap.alloc(12);
            dave.write("dave: 2 pies".getBytes(StandardCharsets.UTF_8));
            out.printf("  alloc 12 bytes -> offset %d (bob's freed block reused)%n", dave.offset());
            handles[1] = dave.toBytes();
            out.printf("  file holds %d payload bytes%n", heap.stack().length());
        }
        try (FirstFitAllocator heap = FirstFitAllocator.open(BStack.open(file))) {
            out.println("  reopened; handles rebuilt from their stored 16-byte form:");
            for (byte[] handle : handles) {
                Slice slice = heap.slice(handle);
                out.printf("    offset %3d: \"%s\"%n", slice.offset(),
                        new String(slice.read(), StandardCharsets.UTF_8));
            }
            var report = heap.verify();
            out.printf("  verify: structure %s, %d free bytes, %d live bytes, %d unaccounted%n",
                    report.structureValid() ? "valid" : "INVALID", report.freeBytes(),
                    report.liveBytes().orElse(-1), report.unaccounted().orElse(-1));
        }
    }
}
