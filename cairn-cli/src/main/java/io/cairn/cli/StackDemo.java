package io.cairn.cli;

import io.cairn.stack.BStack;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The stack layer in the demo: a durable log of records, a torn write, and recovery on reopen. */
final class StackDemo implements DemoSection {

    @Override
    public String title() {
        return "stack: a durable log in one file (BStack)";
    }

    @Override
    public void run(Context context) throws IOException {
        PrintStream out = context.out();
        Path file = context.dataDir().resolve("events.stack");
        String[] events = {"user alice signed up", "order 1001 placed", "order 1001 paid", "order 1001 shipped"};
        try (BStack log = BStack.open(file)) {
            for (String event : events) {
                long started = System.nanoTime();
                long offset = log.push(event.getBytes(StandardCharsets.UTF_8));
                long micros = (System.nanoTime() - started) / 1_000;
                out.printf("  push %-24s -> offset %3d  (durable, %d µs)%n", '"' + event + '"', offset, micros);
            }
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(("metric " + i).getBytes(StandardCharsets.UTF_8));
            }
            long started = System.nanoTime();
            long[] offsets = log.pushAll(batch);
            out.printf("  pushAll of %d records -> offsets %d..%d with one fsync (%d µs)%n", offsets.length,
                    offsets[0], offsets[offsets.length - 1], (System.nanoTime() - started) / 1_000);
            out.printf("  committed length: %d bytes%n", log.length());
        }

        // A crash in the middle of a push leaves bytes past the committed length: write some by hand.
        long fileSizeBefore;
        try (FileChannel raw = FileChannel.open(file, StandardOpenOption.WRITE)) {
            fileSizeBefore = raw.size();
            raw.write(ByteBuffer.wrap("half-written rec".getBytes(StandardCharsets.UTF_8)), fileSizeBefore);
            out.printf("  simulated torn write: %d phantom bytes appended past the committed length (file %d -> %d bytes)%n",
                    16, fileSizeBefore, raw.size());
        }

        try (BStack log = BStack.open(file)) {
            out.printf("  reopened: length %d bytes, file %d bytes: the phantom tail was cut off automatically%n",
                    log.length(), java.nio.file.Files.size(file));
            byte[] last = log.get(0, events[0].length());
            out.printf("  first record still reads \"%s\"%n", new String(last, StandardCharsets.UTF_8));
            byte[] popped = log.pop("metric 99".length());
            out.printf("  pop -> \"%s\", length now %d%n", new String(popped, StandardCharsets.UTF_8), log.length());
        }
    }
}
