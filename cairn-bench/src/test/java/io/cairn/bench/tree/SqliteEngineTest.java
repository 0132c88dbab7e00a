package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cairn.stack.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file SQLite peer under contention for its write lock. In WAL mode another connection holds that lock for a
 * moment now and then (a reader rebuilding the WAL index header it saw change under it takes it, as does a
 * checkpoint that restarts the log); a read-modify-write transaction begun deferred reads first and then has to
 * upgrade, which SQLite refuses at once with SQLITE_BUSY, without the busy timeout. That killed the 8-thread async
 * metadata_mix (its renames) in the durable harness. A write transaction must wait for the lock like a single write.
 */
class SqliteEngineTest {

    @TempDir
    Path dir;

    @Test
    void aRenameWaitsForAnotherConnectionsWriteLockInsteadOfFailingBusy() throws Exception {
        try (DurableEngine engine = DurableEngine.open("sqlite", dir,
                new DurableEngine.Settings(Durability.ASYNC, 4 << 20, false))) {
            engine.load(new byte[][] {utf8("a/source")}, new byte[][] {utf8("value")});
            CountDownLatch locked = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
                try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kv.sqlite"));
                        Statement statement = other.createStatement()) {
                    statement.execute("BEGIN IMMEDIATE");
                    locked.countDown();
                    Thread.sleep(300);
                    statement.execute("ROLLBACK");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            locked.await();
            engine.rename(utf8("a/source"), utf8("a/target"));
            holder.get(10, TimeUnit.SECONDS);
            assertNull(engine.get(utf8("a/source")));
            assertArrayEquals(utf8("value"), engine.get(utf8("a/target")));
        }
    }

    /**
     * The harness starts fresh threads for every measured op; a reader connection per thread piled up connections,
     * each with a cold page cache of its own (up to the whole cache budget each). Readers are reused instead.
     */
    @Test
    void readerConnectionsAreReusedAcrossThreadsThatComeAndGo() throws Exception {
        try (SqliteEngine engine = SqliteEngine.file(dir, new DurableEngine.Settings(Durability.ASYNC, 4 << 20, false))) {
            engine.load(new byte[][] {utf8("k")}, new byte[][] {utf8("v")});
            for (int i = 0; i < 5; i++) {
                Thread reader = Thread.ofPlatform().start(() -> {
                    try {
                        assertArrayEquals(utf8("v"), engine.get(utf8("k")));
                        engine.list(utf8(""), 10, new ChildRun.Digest());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                reader.join();
            }
            assertEquals(1, engine.readerConnections(), "one reader at a time needs one connection");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
