package io.cairn.bench.stack;

import com.squareup.tape2.QueueFile;
import io.cairn.stack.BStack;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The durable-append contenders on fresh files: {@link BStack}, a raw {@link FileChannel} (append + force), and
 * tape2's {@link QueueFile} (a {@code rwd} file). Files live in {@code -Dcairn.bench.dir} (default
 * {@code target/bench-stack}; keep it on a real disk, never tmpfs).
 */
final class AppendContenders {
    static final int RECORD = 64;
    static final int GROUP = 100;

    private final byte[] record = new byte[RECORD];
    private final List<byte[]> group = new ArrayList<>();
    private final ByteBuffer rawRecord = ByteBuffer.allocateDirect(RECORD);
    private final ByteBuffer rawLength = ByteBuffer.allocateDirect(Long.BYTES);
    private final Path dir;
    private int generation;
    private Path base;
    private BStack stack;
    private FileChannel channel;
    private long rawPosition;
    private QueueFile queue;

    AppendContenders() throws IOException {
        Random random = new Random(42);
        random.nextBytes(record);
        rawRecord.put(record).flip();
        for (int i = 0; i < GROUP; i++) {
            byte[] r = new byte[RECORD];
            random.nextBytes(r);
            group.add(r);
        }
        dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-stack")));
    }

    /** Opens fresh, empty files for every contender. */
    void open() throws IOException {
        base = dir.resolve("append-" + ProcessHandle.current().pid() + "-" + generation++);
        stack = BStack.open(Path.of(base + ".bstack"));
        channel = FileChannel.open(Path.of(base + ".raw"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        rawPosition = 0;
        queue = new QueueFile.Builder(new File(base + ".tape")).build();
    }

    /** Closes and deletes the files. */
    void close() throws IOException {
        stack.close();
        channel.close();
        queue.close();
        for (String suffix : new String[] {".bstack", ".raw", ".tape"}) {
            Files.deleteIfExists(Path.of(base + suffix));
        }
    }

    long bstackPush() throws IOException {
        return stack.push(record);
    }

    long rawAppendForce() throws IOException {
        channel.write(rawRecord.rewind(), rawPosition);
        rawPosition += RECORD;
        channel.force(false);
        return rawPosition;
    }

    /**
     * BStack's I/O pattern without BStack: append, rewrite 8 bytes near the start of the file (where BStack keeps
     * its committed length), force. Tells how much of push's cost is the second dirty block.
     */
    long rawAppendHeaderForce() throws IOException {
        channel.write(rawRecord.rewind(), rawPosition);
        rawPosition += RECORD;
        channel.write(rawLength.putLong(0, rawPosition).rewind(), Long.BYTES);
        channel.force(false);
        return rawPosition;
    }

    void tapeAdd() throws IOException {
        queue.add(record);
    }

    long[] bstackPushAll() throws IOException {
        return stack.pushAll(group);
    }

    long rawWriteGroupForceOnce() throws IOException {
        for (int i = 0; i < GROUP; i++) {
            channel.write(rawRecord.rewind(), rawPosition);
            rawPosition += RECORD;
        }
        channel.force(false);
        return rawPosition;
    }
}
