package io.cairn.tree;

import static io.cairn.tree.DatabaseTest.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database images: exact round trips, consistency under writers, and damaged images refused whole. */
class ImageTest {
    @TempDir
    Path dir;

    private static final long ALL = Long.MAX_VALUE;

    private Database populated(Path where) throws IOException {
        Database db = Database.open(where);
        Tree objects = db.createTree("objects");
        Tree empty = db.createTree("empty");
        Tree users = db.createTree("users/ü");
        for (int i = 0; i < 3_000; i++) {
            objects.put(b("bucket-" + i % 7 + "/dir-" + i % 13 + "/object-" + i), b("{\"size\":" + i + "}"));
        }
        users.put(new byte[0], b("the empty key"));
        users.put(b("k"), new byte[65_535]);
        users.put(b("k\0"), b("K and K+NUL are distinct"));
        users.delete(b("k"));
        users.put(b("k"), new byte[65_535]);
        db.createTree("dropped").put(b("x"), b("y"));
        db.dropTree("dropped");
        assertEquals(0, empty.stats().keys());
        return db;
    }

    @Test
    void anImageRoundTripsEveryTreeExactlyAndTheFeedContinuesAfterIt() throws IOException {
        Path image = dir.resolve("db.image");
        try (Database db = populated(dir.resolve("source"))) {
            ImageInfo info = db.exportImage(image);
            assertEquals(db.lastSequence(), info.sequence());
            assertEquals(Map.of("objects", 3_000L, "empty", 0L, "users/ü", 3L), info.trees());
            assertEquals(List.of("objects", "empty", "users/ü"), List.copyOf(info.trees().keySet()), "id order");
            assertEquals(3_003, info.records());
            assertEquals(Files.size(image), info.bytes());
            assertEquals(info, Database.verifyImage(image));
            assertEquals(List.of(), temporaryFiles(), "the export's temporary file is gone");

            ImageInfo installed = Database.installImage(image, dir.resolve("copy"));
            assertEquals(info, installed);
            try (Database copy = Database.open(dir.resolve("copy"))) {
                assertEquals(DatabaseContents.of(db), DatabaseContents.of(copy));
                assertEquals(info.sequence(), copy.lastSequence());
                db.openTree("objects").put(b("after"), b("image"));
                db.dropTree("empty");
                copy.apply(db.changesAfter(info.sequence(), 100, ALL));
                assertEquals(DatabaseContents.of(db), DatabaseContents.of(copy));
                assertTrue(copy.openTree("users/ü").getRecord(b("k")).version() > 0);
                long newest = copy.lastSequence();
                copy.openTree("objects").put(b("local"), b("write"));
                assertTrue(copy.openTree("objects").getRecord(b("local")).version()
                        > db.openTree("objects").getRecord(b("after")).version(), "versions continue after the image's");
                assertEquals(newest + 1, copy.lastSequence());
            }
            ImageInfo some = db.exportImage(dir.resolve("some.image"), List.of("users/ü"));
            assertEquals(Map.of("users/ü", 3L), some.trees());
            assertThrows(java.util.NoSuchElementException.class, () -> db.exportImage(dir.resolve("x"), List.of("no")));
        }
    }

    @Test
    void anImageIsOneMomentWhileWritersGoOn() throws Exception {
        Path image = dir.resolve("busy.image");
        try (Database db = Database.open(dir.resolve("source"), TreeOptions.defaults().durability(Durability.NONE))) {
            db.createTree("a");
            db.createTree("b");
            for (int i = 0; i < 20_000; i++) {
                db.openTree("a").put(b("seed-" + i), b("x"));
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (long n = 0; !stop.get(); n++) {
                    long value = n;
                    // the two trees always hold the same counter: an image must never show them apart
                    db.atomic(x -> {
                        x.tree("a").put(b("counter"), b(Long.toString(value)));
                        x.tree("b").put(b("counter"), b(Long.toString(value)));
                        x.tree("a").put(b("churn-" + value % 5_000), b("y"));
                    });
                }
            });
            Thread.sleep(50);
            ImageInfo info = db.exportImage(image);
            Thread.sleep(20);
            stop.set(true);
            writer.join();
            assertTrue(db.lastSequence() > info.sequence(), "the writer went on during the export");
            Database.installImage(image, dir.resolve("copy"), TreeOptions.defaults().durability(Durability.NONE));
            try (Database copy = Database.open(dir.resolve("copy"))) {
                assertArrayEquals(copy.openTree("a").get(b("counter")), copy.openTree("b").get(b("counter")));
                db.sync();
                long at = info.sequence();
                while (at < db.lastSequence()) {
                    at = copy.apply(db.changesAfter(at, 500, ALL));
                }
                assertEquals(DatabaseContents.of(db), DatabaseContents.of(copy),
                        "the image plus the feed after its sequence is the source: the image was exactly there");
            }
        }
    }

    @Test
    void installRefusesADirectoryThatHoldsAnything() throws IOException {
        Path image = dir.resolve("db.image");
        try (Database db = populated(dir.resolve("source"))) {
            db.exportImage(image);
        }
        Path target = dir.resolve("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("notes.txt"), "mine");
        assertThrows(DirectoryNotEmptyException.class, () -> Database.installImage(image, target));
        assertEquals("mine", Files.readString(target.resolve("notes.txt")));
        assertEquals(1, Files.list(target).count(), "a refused install touched the directory");
        assertThrows(DirectoryNotEmptyException.class, () -> Database.installImage(image, dir.resolve("source")));
        Path emptyDir = dir.resolve("empty");
        Files.createDirectories(emptyDir);
        Database.installImage(image, emptyDir);
        try (Database db = Database.open(emptyDir)) {
            assertEquals(List.of("empty", "objects", "users/ü"), db.treeNames());
        }
    }

    /**
     * Every byte of a small image flipped, ranges zeroed, and every cut: verification and installation refuse it
     * with CorruptedStoreException, and the target directory stays missing (no partial install, no leftover).
     */
    @Test
    void damagedOrCutImagesAreRefusedAndNeverInstallPartially() throws IOException {
        Path image = dir.resolve("small.image");
        try (Database db = Database.open(dir.resolve("source"))) {
            db.createTree("a").put(b("one"), b("1"));
            db.openTree("a").put(b("two"), b("22"));
            db.createTree("b").put(b("three"), b("333"));
            db.exportImage(image);
        }
        byte[] good = Files.readAllBytes(image);
        Path bad = dir.resolve("bad.image");
        Path target = dir.resolve("target");
        for (int i = 0; i < good.length; i++) {
            byte[] damaged = good.clone();
            damaged[i] ^= (byte) (1 << (i % 8));
            Files.write(bad, damaged);
            refused(bad, target, "flip at " + i);
        }
        for (int cut = 0; cut < good.length; cut++) {
            Files.write(bad, java.util.Arrays.copyOf(good, cut));
            refused(bad, target, "cut to " + cut);
        }
        byte[] padded = java.util.Arrays.copyOf(good, good.length + 1);
        Files.write(bad, padded);
        refused(bad, target, "padded");
        // a larger image: zeroed ranges and cuts at random places
        Path large = dir.resolve("large.image");
        try (Database db = populated(dir.resolve("large"))) {
            db.exportImage(large);
        }
        byte[] big = Files.readAllBytes(large);
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 60; round++) {
            byte[] damaged = big.clone();
            int at = random.nextInt(big.length);
            java.util.Arrays.fill(damaged, at, Math.min(big.length, at + 1 + random.nextInt(64)), (byte) 0);
            if (java.util.Arrays.equals(damaged, big)) {
                continue;
            }
            Files.write(bad, damaged);
            refused(bad, target, "zeroed at " + at);
            Files.write(bad, java.util.Arrays.copyOf(big, random.nextInt(big.length)));
            refused(bad, target, "cut");
        }
    }

    private void refused(Path image, Path target, String what) throws IOException {
        assertThrows(CorruptedStoreException.class, () -> Database.verifyImage(image), what);
        assertThrows(CorruptedStoreException.class, () -> Database.installImage(image, target), what);
        assertFalse(Files.exists(target), what + ": a refused image installed something");
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("installing")),
                    what + ": a staging directory was left behind");
        }
    }

    @Test
    void anImageOfANewerFormatVersionSaysSo() throws IOException {
        Path image = dir.resolve("db.image");
        try (Database db = Database.open(dir.resolve("source"))) {
            db.createTree("a");
            db.exportImage(image);
        }
        byte[] bytes = Files.readAllBytes(image);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort(4, (short) 2);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 60);
        header.putInt(60, (int) crc.getValue());
        Files.write(image, bytes);
        FormatVersionException e = assertThrows(FormatVersionException.class, () -> Database.verifyImage(image));
        assertEquals("2", e.found());
    }

    @Test
    void aFailedExportLeavesNoImageAndAFailedInstallNoDatabase() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path image = dir.resolve("db.image");
        try (Database db = Database.open(dir.resolve("source"), TreeOptions.defaults().io(io))) {
            db.createTree("a");
            for (int chunk = 0; chunk < 40; chunk++) {
                int first = chunk * 1_000;
                db.atomic(x -> {
                    for (int i = first; i < first + 1_000; i++) {
                        x.tree("a").put(b("key-" + i), new byte[40]);
                    }
                });
            }
            long before = io.writes();
            db.exportImage(dir.resolve("probe.image"));
            long exportWrites = io.writes() - before;
            assertTrue(exportWrites > 1, "the export takes several writes: " + exportWrites);
            for (long n = 1; n <= exportWrites; n++) {
                io.failWrite(n);
                assertThrows(IOException.class, () -> db.exportImage(image), "write " + n);
                io.clearFaults();
                assertFalse(Files.exists(image), "a failed export left an image");
                assertEquals(List.of(), temporaryFiles(), "a failed export left its temporary file");
            }
            db.openTree("a").put(b("still"), b("writable"));
            db.exportImage(image);
        }
        FaultyStorageIo counting = new FaultyStorageIo();
        Database.installImage(image, dir.resolve("probe"), TreeOptions.defaults().io(counting));
        long installWrites = counting.writes();
        long installForces = counting.forces();
        assertTrue(installWrites > 1 && installForces > 1, installWrites + " writes, " + installForces + " forces");
        Path target = dir.resolve("target");
        for (long n = 1; n <= installWrites; n += Math.max(1, installWrites / 12)) {
            FaultyStorageIo installIo = new FaultyStorageIo();
            installIo.failWrite(n);
            assertThrows(IOException.class, () -> Database.installImage(image, target,
                    TreeOptions.defaults().io(installIo)), "write " + n);
            assertFalse(Files.exists(target), "a failed install at write " + n + " left a database");
        }
        for (long n = 1; n <= installForces; n++) {
            FaultyStorageIo installIo = new FaultyStorageIo();
            installIo.failForce(n);
            assertThrows(IOException.class, () -> Database.installImage(image, target,
                    TreeOptions.defaults().io(installIo)), "force " + n);
            assertFalse(Files.exists(target), "a failed install at force " + n + " left a database");
        }
        Database.installImage(image, target);
        try (Database db = Database.open(target)) {
            assertEquals(40_001, db.openTree("a").stats().keys());
        }
    }

    /** The temporary files an export left in {@link #dir}. */
    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void anExportReplacesOnlyARegularFileOutsideTheDatabaseAndTouchesNothingElse() throws Exception {
        try (Database db = Database.open(dir.resolve("db"))) {
            db.createTree("t").put(b("k"), b("v"));
            Path fifo = dir.resolve("fifo");
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.exportImage(fifo));
            assertTrue(e.getMessage().startsWith(fifo + " is not a regular file"), e.getMessage());
            assertTrue(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther());
            Path directory = Files.createDirectory(dir.resolve("images"));
            e = assertThrows(IllegalArgumentException.class, () -> db.exportImage(directory));
            assertTrue(e.getMessage().startsWith(directory + " is a directory"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> db.exportImage(dir.resolve("db").resolve("x.img")));
            assertTrue(e.getMessage().contains("the database's own directory"), e.getMessage());
            Path nowhere = dir.resolve("missing").resolve("x.img");
            NoSuchFileException n = assertThrows(NoSuchFileException.class, () -> db.exportImage(nowhere));
            assertEquals(nowhere.getParent().toString(), n.getFile());

            Path image = dir.resolve("db.image");
            Path bystander = Files.writeString(dir.resolve("db.image.tmp"), "not the export's");
            Path link = Files.createSymbolicLink(dir.resolve("link.image"), image);
            Files.writeString(image, "an old image");
            assertEquals(1, db.exportImage(link).records());
            assertTrue(Files.isSymbolicLink(link), "the link stays and its target is replaced");
            assertEquals(1, Database.verifyImage(image).records());
            assertEquals("not the export's", Files.readString(bystander));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of("db", "db.image", "db.image.tmp", "fifo", "images", "link.image"),
                        files.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }

    @Test
    void exportAndInstallReportTheirProgressUpToTheRecordCount() throws IOException {
        List<String> reports = new java.util.ArrayList<>();
        Path image = dir.resolve("db.image");
        try (Database db = populated(dir.resolve("source"))) {
            db.exportImage(image, null, (stage, done, total) -> reports.add(stage + " " + done + "/" + total));
        }
        assertEquals(List.of("exporting 3003/3003"), reports, "one report per 4,096 records and one at the end");
        reports.clear();
        Database.installImage(image, dir.resolve("copy"), TreeOptions.defaults(),
                (stage, done, total) -> reports.add(stage + " " + done + "/" + total));
        assertEquals("installing 3003/3003", reports.getLast(), reports.toString());
        assertTrue(reports.stream().allMatch(r -> r.startsWith("checking ") || r.startsWith("installing ")),
                reports.toString());
    }
}
