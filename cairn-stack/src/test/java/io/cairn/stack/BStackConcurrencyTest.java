package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent durable pushes get unique, contiguous offsets; concurrent readers only ever see committed bytes. */
class BStackConcurrencyTest {
    private static final int WRITERS = 8;
    private static final int PUSHES = 150;
    private static final int READERS = 2;

    @TempDir
    Path dir;

    /** A self-describing record: {@code writer:u8 seq:u16 length:u8 payload[length]}, payload derived from both. */
    static byte[] record(int writer, int seq) {
        int length = 1 + (writer * 7 + seq * 13) % 40;
        ByteBuffer b = ByteBuffer.allocate(4 + length);
        b.put((byte) writer).putShort((short) seq).put((byte) length);
        for (int i = 0; i < length; i++) {
            b.put((byte) (writer ^ seq ^ i));
        }
        return b.array();
    }

    /** Parses {@code content} as whole records; fails on any byte that is not part of one. */
    private static int parseWholeRecords(byte[] content) {
        int at = 0;
        int count = 0;
        while (at < content.length) {
            assertTrue(content.length - at >= 4, "a partial record header at " + at + " of " + content.length);
            int writer = content[at];
            int seq = ByteBuffer.wrap(content, at + 1, 2).getShort() & 0xFFFF;
            assertTrue(writer >= 0 && writer < WRITERS && seq < PUSHES, "garbage record header at " + at);
            byte[] expected = record(writer, seq);
            assertTrue(at + expected.length <= content.length, "record at " + at + " crosses the visible end");
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(content, at, at + expected.length),
                    "record at " + at);
            at += expected.length;
            count++;
        }
        return count;
    }

    @Test
    void concurrentPushesGetUniqueContiguousOffsetsWhileReadersSeeOnlyCommittedBytes() throws Exception {
        Path path = dir.resolve("concurrent.bstack");
        try (BStack stack = BStack.open(path)) {
            Map<Long, byte[]> byOffset = new ConcurrentHashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong readerChecks = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            List<Future<?>> readers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS)) {
                for (int r = 0; r < READERS; r++) {
                    readers.add(pool.submit(() -> {
                        start.await();
                        int lastCount = 0;
                        while (writing.get()) {
                            int count = parseWholeRecords(stack.peek(0));
                            assertTrue(count >= lastCount, "the visible record count went down");
                            lastCount = count;
                            readerChecks.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        start.await();
                        for (int seq = 0; seq < PUSHES; seq++) {
                            byte[] record = record(writer, seq);
                            byte[] previous = byOffset.put(stack.push(record), record);
                            assertEquals(null, previous, "an offset was handed out twice");
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : writers) {
                    f.get();
                }
                writing.set(false);
                for (Future<?> f : readers) {
                    f.get();
                }
            }
            assertEquals(WRITERS * PUSHES, byOffset.size());
            long expectedOffset = 0;
            for (Map.Entry<Long, byte[]> e : new TreeMap<>(byOffset).entrySet()) {
                assertEquals(expectedOffset, e.getKey(), "offsets are not contiguous");
                assertArrayEquals(e.getValue(), stack.get(e.getKey(), e.getKey() + e.getValue().length));
                expectedOffset += e.getValue().length;
            }
            assertEquals(expectedOffset, stack.length());
            assertTrue(readerChecks.get() > 0, "the readers never ran");
        }
        try (BStack reopened = BStack.open(path)) {
            assertEquals(WRITERS * PUSHES, parseWholeRecords(reopened.peek(0)));
        }
    }

    @Test
    void racingTryExtendZerosLetsExactlyOneThreadWinEachLength() throws Exception {
        Path path = dir.resolve("race.bstack");
        int threads = 4;
        int attempts = 50;
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withDurability(Durability.NONE))) {
            AtomicInteger wins = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < attempts; i++) {
                            long seen = stack.length();
                            if (stack.tryExtendZeros(seen, 3)) {
                                wins.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            assertEquals(3L * wins.get(), stack.length(), "a lost race must not extend");
            assertTrue(wins.get() >= attempts, "at least one thread wins each round");
        }
    }

    @Test
    void readsOfAStableRangeRunWhileWritersAppend() throws IOException, InterruptedException {
        Path path = dir.resolve("stable.bstack");
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withDurability(Durability.NONE))) {
            byte[] head = record(1, 1);
            stack.push(head);
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        stack.push(record(2, i % PUSHES));
                    }
                } catch (IOException | RuntimeException e) {
                    writerFailure.set(e);
                }
            });
            while (writer.isAlive()) {
                assertArrayEquals(head, stack.get(0, head.length));
            }
            writer.join();
            assertEquals(null, writerFailure.get());
            assertEquals(1 + 2000, parseWholeRecords(stack.peek(0)));
        }
    }
}
