package io.cairn.tree;

import static io.cairn.tree.DatabaseTest.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change feed: what it holds, its bounds and retention, its bytes, journal envelopes, and followers. */
class ChangeFeedTest {
    @TempDir
    Path dir;

    private static final long ALL = Long.MAX_VALUE;

    @Test
    void theFeedHoldsEveryCommittedRecordInCommitOrder() throws IOException {
        try (Database db = Database.open(dir.resolve("leader"))) {
            assertEquals(0, db.lastSequence());
            assertTrue(db.changesAfter(0, 10, ALL).isEmpty());
            Tree a = db.createTree("a");
            a.put(b("k"), b("v"));
            a.rename(b("k"), b("m"), false);
            a.delete(b("m"));
            db.createTree("b");
            db.atomic(x -> {
                x.tree("a").put(b("x"), b("1"));
                x.tree("b").put(b("y"), b("2"));
            });
            db.dropTree("b");
            ChangeBatch feed = db.changesAfter(0, 100, ALL);
            assertEquals(7, feed.size());
            assertEquals(7, feed.lastSequence());
            assertEquals(db.lastSequence(), feed.lastSequence());
            List<ChangeRecord> r = feed.records();
            for (int i = 0; i < r.size(); i++) {
                assertEquals(i + 1, r.get(i).sequence());
            }
            int aId = ((Change.CreateTree) r.get(0).changes().getFirst()).treeId();
            assertEquals(new Change.CreateTree(aId, "a"), r.get(0).changes().getFirst());
            Change.Put put = assertInstanceOf(Change.Put.class, r.get(1).changes().getFirst());
            assertArrayEquals(b("v"), put.value());
            assertEquals(a.getRecord(b("x")).version() - 1, ((Change.Rename) r.get(2).changes().getFirst()).version(),
                    "versions travel with the changes");
            assertInstanceOf(Change.Delete.class, r.get(3).changes().getFirst());
            int bId = ((Change.CreateTree) r.get(4).changes().getFirst()).treeId();
            assertEquals(2, r.get(5).changes().size(), "a batch across trees is one record");
            assertEquals(List.of(aId, bId), r.get(5).changes().stream().map(Change::treeId).toList());
            assertEquals(new Change.DropTree(bId), r.get(6).changes().getFirst());
            assertNull(r.get(6).envelope());
            assertEquals(List.of(), db.changesAfter(7, 10, ALL).records());
            assertThrows(IllegalArgumentException.class, () -> db.changesAfter(8, 10, ALL));
            assertThrows(IllegalArgumentException.class, () -> db.changesAfter(-1, 10, ALL));
            assertThrows(IllegalArgumentException.class, () -> db.changesAfter(0, 0, ALL));
        }
    }

    @Test
    void batchesAreBoundedByRecordsAndBytes() throws IOException {
        try (Database db = Database.open(dir)) {
            Tree t = db.createTree("t");
            for (int i = 0; i < 50; i++) {
                t.put(b("key-" + i), new byte[i == 20 ? 50_000 : 100]);
            }
            assertEquals(10, db.changesAfter(0, 10, ALL).size());
            ChangeBatch small = db.changesAfter(0, 100, 1_000);
            assertTrue(small.size() >= 1 && small.size() < 10, "" + small.size());
            ChangeBatch big = db.changesAfter(20, 100, 1_000);
            assertEquals(1, big.size(), "the first record comes whatever its size");
            assertEquals(21, big.lastSequence());
            long at = 0;
            int seen = 0;
            while (at < db.lastSequence()) {
                ChangeBatch next = db.changesAfter(at, 7, 3_000);
                assertEquals(at, next.after());
                seen += next.size();
                at = next.lastSequence();
            }
            assertEquals(51, seen);
        }
    }

    @Test
    void aPositionBehindTheRetainedLogExpiresAndRetentionKeepsIt() throws IOException {
        try (Database db = Database.open(dir.resolve("none"))) {
            Tree t = db.createTree("t");
            t.put(b("a"), b("1"));
            db.checkpoint();
            t.put(b("b"), b("2"));
            db.checkpoint();
            PositionExpiredException e = assertThrows(PositionExpiredException.class,
                    () -> db.changesAfter(0, 10, ALL));
            assertEquals(0, e.position());
            assertTrue(e.oldestPosition() >= 2, "" + e.oldestPosition());
            assertTrue(e.getMessage().contains("install an image"), e.getMessage());
            assertEquals(db.lastSequence(), db.changesAfter(db.lastSequence(), 10, ALL).lastSequence());
        }
        try (Database db = Database.open(dir.resolve("records"),
                TreeOptions.defaults().changeRetention(ChangeRetention.records(1_000)))) {
            Tree t = db.createTree("t");
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 300; i++) {
                    t.put(b("k" + i), b("r" + round));
                }
                db.checkpoint();
            }
            assertEquals(1_000, db.changesAfter(db.lastSequence() - 1_000, 5_000, ALL).size(),
                    "the last 1,000 records are kept");
            assertThrows(PositionExpiredException.class, () -> db.changesAfter(0, 10, ALL));
        }
        try (Database db = Database.open(dir.resolve("bytes"),
                TreeOptions.defaults().changeRetention(ChangeRetention.bytes(200_000)))) {
            Tree t = db.createTree("t");
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 100; i++) {
                    t.put(b("k" + i), new byte[500]);
                }
                db.checkpoint();
            }
            long bytes = 0;
            long at = db.lastSequence() - 390;
            for (ChangeRecord r : db.changesAfter(at, 5_000, ALL).records()) {
                bytes += ((Change.Put) r.changes().getFirst()).value().length;
            }
            assertTrue(bytes >= 190_000, "at least 200,000 bytes of log kept");
        }
        assertThrows(IllegalArgumentException.class, () -> ChangeRetention.records(-1));
    }

    @Test
    void theRetentionIsRecordedAndAnOpenWithoutTheOptionKeepsIt() throws IOException {
        TreeOptions keep = TreeOptions.defaults().changeRetention(ChangeRetention.records(1_000));
        try (Database db = Database.open(dir, keep)) {
            Tree t = db.createTree("t");
            for (int i = 0; i < 300; i++) {
                t.put(b("k" + i), b("first"));
            }
        }
        // an open without the option (the CLI's, a maintenance tool's) must not retire what followers still need
        try (Database db = Database.open(dir)) {
            Tree t = db.openTree("t");
            for (int i = 0; i < 300; i++) {
                t.put(b("k" + i), b("second"));
            }
            db.checkpoint();
            assertEquals(601, db.changesAfter(0, 5_000, ALL).size(), "every record is within the retention");
        }
        try (Tree t = Tree.open(dir)) {
            t.put(b("k0"), b("third"));
            t.checkpoint();
        }
        try (Database db = Database.open(dir)) {
            assertEquals(602, db.changesAfter(0, 5_000, ALL).size(), "a tree opened alone keeps it too");
            assertEquals(ChangeRetention.records(1_000), db.changeRetention());
        }
        try (Database db = Database.openReadOnly(dir)) {
            assertEquals(ChangeRetention.records(1_000), db.changeRetention());
        }
        // an open that names another retention records it, durably, before it returns
        try (Database db = Database.open(dir, TreeOptions.defaults().changeRetention(ChangeRetention.records(10)))) {
            assertEquals(ChangeRetention.records(10), db.changeRetention());
        }
        try (Database db = Database.openReadOnly(dir)) {
            assertEquals(ChangeRetention.records(10), db.changeRetention());
        }
        try (Database db = Database.open(dir)) {
            assertEquals(ChangeRetention.records(10), db.changeRetention());
            for (int round = 0; round < 2; round++) { // (the log is retired in whole segments: one per checkpoint)
                for (int i = 0; i < 20; i++) {
                    db.openTree("t").put(b("k" + i), b("round " + round));
                }
                db.checkpoint();
            }
            assertThrows(PositionExpiredException.class, () -> db.changesAfter(0, 10, ALL),
                    "the recorded retention of 10 records let the checkpoints retire the older log");
        }
        try (Database db = Database.open(dir, TreeOptions.defaults().changeRetention(ChangeRetention.none()))) {
            db.openTree("t").put(b("k1"), b("fourth"));
        }
        try (Database db = Database.open(dir)) {
            assertEquals(ChangeRetention.none(), db.changeRetention(), "none is recorded like any other");
        }
    }

    @Test
    void aFollowerAppliesTheFeedIdempotentlyAndRefusesGaps() throws IOException {
        TreeOptions keep = TreeOptions.defaults().changeRetention(ChangeRetention.records(100));
        try (Database leader = Database.open(dir.resolve("leader"));
                Database follower = Database.open(dir.resolve("follower"), keep)) {
            leader.createTree("t").put(b("a"), b("1"));
            leader.openTree("t").put(b("b"), b("2"));
            leader.openTree("t").delete(b("a"));
            ChangeBatch first = leader.changesAfter(0, 2, ALL);
            assertEquals(2, follower.apply(first));
            assertEquals(2, follower.apply(first), "applying again changes nothing");
            ChangeBatch overlapping = leader.changesAfter(1, 10, ALL);
            assertEquals(4, follower.apply(overlapping), "records at or below the follower's sequence are skipped");
            assertEquals(DatabaseContents.of(leader), DatabaseContents.of(follower));
            leader.openTree("t").put(b("c"), b("3"));
            leader.openTree("t").put(b("d"), b("4"));
            ChangeBatch gap = leader.changesAfter(5, 10, ALL);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> follower.apply(gap));
            assertTrue(e.getMessage().contains("changes 5..5 are missing"), e.getMessage());
            assertEquals(4, follower.lastSequence(), "nothing of a refused batch was applied");
            assertEquals(6, follower.apply(leader.changesAfter(4, 10, ALL)));
            assertEquals(DatabaseContents.of(leader), DatabaseContents.of(follower));
            assertEquals(leader.openTree("t").getRecord(b("d")).version(),
                    follower.openTree("t").getRecord(b("d")).version(), "versions are the leader's");
        }
        try (Database follower = Database.open(dir.resolve("follower"), keep)) {
            assertEquals(6, follower.lastSequence(), "the follower's feed is the leader's, durably");
            assertEquals(6, follower.changesAfter(0, 10, ALL).size());
        }
    }

    @Test
    void aBatchTravelsAsBytesAndDamagedBytesAreRefused() throws IOException {
        try (Database db = Database.open(dir)) {
            db.createTree("t").put(b("k"), b("v"));
            db.atomicWithEnvelope(b("raft term 3"), x -> x.tree("t").put(b("e"), b("f")));
            db.dropTree("t");
            ChangeBatch feed = db.changesAfter(0, 10, ALL);
            byte[] bytes = feed.toBytes();
            ChangeBatch back = ChangeBatch.fromBytes(bytes);
            assertEquals(feed.after(), back.after());
            assertEquals(feed.lastSequence(), back.lastSequence());
            assertArrayEquals(bytes, back.toBytes());
            assertArrayEquals(b("raft term 3"), back.records().get(2).envelope().payload());
            for (int i = 0; i < bytes.length; i++) {
                byte[] damaged = bytes.clone();
                damaged[i] ^= 0x20;
                assertThrows(CorruptedStoreException.class, () -> ChangeBatch.fromBytes(damaged), "byte " + i);
            }
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] shorter = Arrays.copyOf(bytes, cut);
                assertThrows(CorruptedStoreException.class, () -> ChangeBatch.fromBytes(shorter), "cut " + cut);
            }
            ChangeBatch empty = ChangeBatch.fromBytes(db.changesAfter(4, 10, ALL).toBytes());
            assertEquals(4, empty.lastSequence());
        }
    }

    @Test
    void journalEnvelopesChainAcrossCheckpointsRestartsAndFollowers() throws IOException {
        JournalEnvelope first;
        JournalEnvelope second;
        try (Database db = Database.open(dir.resolve("leader"))) {
            db.createTree("t");
            first = db.atomicWithEnvelope(b("entry 1"), x -> x.tree("t").put(b("a"), b("1")));
            assertArrayEquals(new byte[32], first.previousHash());
            assertEquals(2, first.sequence());
            db.openTree("t").put(b("plain"), b("no envelope"));
            second = db.atomicWithEnvelope(b("entry 2"), x -> { });
            assertArrayEquals(first.hash(), second.previousHash(), "envelopes chain over plain writes between");
            assertNull(db.atomicWithEnvelope(b("failed"), x -> x.tree("t").assertAbsent(b("a"))),
                    "a batch whose guard fails writes no envelope");
            db.checkpoint(); // retires the records that held the chain: the manifest keeps its head
        }
        try (Database db = Database.open(dir.resolve("leader"))) {
            JournalEnvelope third = db.atomicWithEnvelope(b("entry 3"), x -> x.tree("t").put(b("c"), b("3")));
            assertArrayEquals(second.hash(), third.previousHash(), "the chain continues after a reopen");
        }
        try (Database leader = Database.open(dir.resolve("leader2"));
                Database follower = Database.open(dir.resolve("follower"))) {
            leader.createTree("t");
            List<JournalEnvelope> chain = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                chain.add(leader.atomicWithEnvelope(b("e" + i), x -> x.tree("t").put(b("k" + n), b("v"))));
            }
            follower.apply(leader.changesAfter(0, 100, ALL));
            JournalEnvelope next = follower.atomicWithEnvelope(b("after failover"),
                    x -> x.tree("t").put(b("z"), b("z")));
            assertArrayEquals(chain.getLast().hash(), next.previousHash(), "a follower continues the same chain");
            List<ChangeRecord> records = follower.changesAfter(0, 100, ALL).records();
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(chain.get(i).hash(), records.get(i + 1).envelope().hash());
            }
        }
    }

    @Test
    void aFollowerRefusesAFeedWhoseJournalChainIsBroken() throws IOException {
        try (Database leader = Database.open(dir.resolve("leader"));
                Database follower = Database.open(dir.resolve("follower"))) {
            leader.createTree("t");
            leader.atomicWithEnvelope(b("one"), x -> x.tree("t").put(b("a"), b("1")));
            leader.atomicWithEnvelope(b("two"), x -> x.tree("t").put(b("b"), b("2")));
            byte[] bytes = leader.changesAfter(0, 100, ALL).toBytes();
            // a forged record: its payload changed after the feed was read (a record's arrays are shared)
            ChangeBatch feed = ChangeBatch.fromBytes(bytes);
            follower.apply(ChangeBatch.fromBytes(leader.changesAfter(0, 2, ALL).toBytes()));
            ChangeRecord two = feed.records().get(2);
            assertArrayEquals(b("two"), two.envelope().payload());
            two.envelope().payload()[0] = 'T'; // the feed's arrays are shared: this forges the record
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> follower.apply(feed));
            assertTrue(e.getMessage().contains("hash does not match"), e.getMessage());
            assertEquals(2, follower.lastSequence());
        }
    }

    /**
     * The proof: a leader under a random workload (trees created and dropped, point writes, renames,
     * batches across trees, envelopes) while a follower applies the feed in random chunks; both restart at random;
     * once the follower falls behind the retained log and catches up by installing an image. At the end every tree
     * of the follower equals the leader's: keys, values and versions.
     */
    @Test
    void aFollowerConvergesThroughRestartsChunksAndAnImageInstall() throws Exception {
        SplittableRandom random = new SplittableRandom(15);
        Path leaderDir = dir.resolve("leader");
        Path followerDir = dir.resolve("follower-1");
        TreeOptions options = TreeOptions.defaults().durability(Durability.NONE);
        Database leader = Database.open(leaderDir, options);
        Database follower = Database.open(followerDir, options);
        LeaderWorkload workload = new LeaderWorkload(random.split());
        int installs = 0;
        try {
            for (int round = 0; round < 40; round++) {
                Database writing = leader;
                AtomicReference<Throwable> failed = new AtomicReference<>();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        workload.run(writing, 150);
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                });
                boolean behind = round == 20; // the follower sleeps through a checkpoint: its position expires
                while (writer.isAlive() && !behind) {
                    follower = catchUp(leader, follower, random, 1);
                }
                writer.join();
                if (failed.get() != null) {
                    throw new AssertionError("the leader's workload failed", failed.get());
                }
                while (!behind && follower.lastSequence() < leader.lastSequence()) {
                    follower = catchUp(leader, follower, random, 0);
                }
                if (behind) {
                    leader.checkpoint();
                    try {
                        follower.apply(leader.changesAfter(follower.lastSequence(), 10, ALL));
                        throw new AssertionError("the follower's position should have expired");
                    } catch (PositionExpiredException expired) {
                        follower.close();
                        Path image = dir.resolve("leader.image");
                        ImageInfo exported = leader.exportImage(image);
                        followerDir = dir.resolve("follower-" + (++installs + 1));
                        ImageInfo installed = Database.installImage(image, followerDir, options);
                        assertEquals(exported.sequence(), installed.sequence());
                        follower = Database.open(followerDir, options);
                        assertEquals(exported.sequence(), follower.lastSequence());
                    }
                }
                if (random.nextInt(4) == 0) {
                    leader.close();
                    leader = Database.open(leaderDir, options);
                }
                if (random.nextInt(4) == 0) {
                    follower.close();
                    follower = Database.open(followerDir, options);
                }
                if (random.nextInt(3) == 0) {
                    leader.checkpoint();
                }
            }
            while (follower.lastSequence() < leader.lastSequence()) {
                follower = catchUp(leader, follower, random, 0);
            }
            assertEquals(1, installs);
            assertEquals(leader.treeNames(), follower.treeNames());
            assertEquals(DatabaseContents.of(leader), DatabaseContents.of(follower));
            assertTrue(leader.treeNames().size() >= 1);
        } finally {
            leader.close();
            follower.close();
        }
        try (Database again = Database.open(followerDir, options); Database source = Database.open(leaderDir)) {
            assertEquals(DatabaseContents.of(source), DatabaseContents.of(again), "and after reopening both");
        }
    }

    /** One random chunk of catching up (sometimes through bytes); may restart the follower. */
    private Database catchUp(Database leader, Database follower, SplittableRandom random, int restartChance)
            throws IOException {
        long at = follower.lastSequence();
        if (at >= leader.lastSequence()) {
            Thread.onSpinWait();
            return follower;
        }
        ChangeBatch batch = leader.changesAfter(at, 1 + random.nextInt(40), 1 + random.nextInt(20_000));
        if (random.nextBoolean()) {
            batch = ChangeBatch.fromBytes(batch.toBytes());
        }
        long applied = follower.apply(batch);
        assertEquals(batch.isEmpty() ? at : batch.lastSequence(), applied);
        if (restartChance > 0 && random.nextInt(100) < restartChance) {
            Path where = follower.directory();
            follower.close();
            return Database.open(where, TreeOptions.defaults().durability(Durability.NONE));
        }
        return follower;
    }

    /** A random workload for a leader: every kind of write the feed carries. */
    static final class LeaderWorkload {
        private final SplittableRandom random;
        private int created;

        LeaderWorkload(SplittableRandom random) {
            this.random = random;
        }

        void run(Database db, int ops) {
            for (int i = 0; i < ops; i++) {
                List<String> names = db.treeNames();
                int op = random.nextInt(100);
                if (names.size() < 2 || op < 3) {
                    db.createTree("tree-" + created++);
                    continue;
                }
                String name = names.get(random.nextInt(names.size()));
                String other = names.get(random.nextInt(names.size()));
                Tree t = db.openTree(name);
                byte[] key = b("bucket-" + random.nextInt(3) + "/obj-" + random.nextInt(60));
                byte[] value = b("v" + random.nextInt(1_000_000));
                if (op < 5 && names.size() > 2) {
                    db.dropTree(name);
                } else if (op < 45) {
                    t.put(key, value);
                } else if (op < 60) {
                    t.delete(key);
                } else if (op < 68) {
                    if (t.get(key) != null) {
                        t.rename(key, b("renamed/" + random.nextInt(40)), true);
                    }
                } else if (op < 75) {
                    Record r = t.getRecord(key);
                    t.compareAndPut(key, r == null ? 1 : r.version(), value);
                } else if (op < 92) {
                    db.atomic(x -> {
                        x.tree(name).put(key, value).delete(b("bucket-0/obj-" + random.nextInt(60)));
                        x.tree(other).put(b("from/" + name), value);
                        if (random.nextInt(4) == 0) {
                            x.tree(other).assertAbsent(b("never"));
                        }
                    });
                } else {
                    db.atomicWithEnvelope(b("entry " + i), x -> x.tree(name).put(key, value));
                }
            }
        }
    }
}
