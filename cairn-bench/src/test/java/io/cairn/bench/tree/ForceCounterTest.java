package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** perf's CSV parses into the sum of the force calls; with perf present, forces on a new thread are all counted. */
class ForceCounterTest {

    @TempDir
    Path dir;

    @Test
    void sumsTheForceAndTheMarkerEventsOfPerfsCsvApart() {
        List<String> csv = List.of("# started on Mon Dec  7 04:35:57 2026", "",
                "3,,syscalls:sys_enter_fsync,4035486352,100.00,,",
                "7,,syscalls:sys_enter_fdatasync,4035486352,100.00,,",
                "0,,syscalls:sys_enter_msync,4035486352,100.00,,",
                "1,,syscalls:sys_enter_sync_file_range,4035486352,100.00,,",
                "8,,syscalls:sys_enter_chmod,4035486352,100.00,,",
                "0,,syscalls:sys_enter_fchmodat,4035486352,100.00,,");
        assertEquals(new ForceCounter.Counts(11, 8), ForceCounter.parse(csv));
    }

    @Test
    void anEventNotCountedOrMissingMakesItsKindUnknown() {
        List<String> csv = List.of("<not counted>,,syscalls:sys_enter_fsync,0,100.00,,",
                "7,,syscalls:sys_enter_fdatasync,4035486352,100.00,,",
                "0,,syscalls:sys_enter_msync,4035486352,100.00,,",
                "1,,syscalls:sys_enter_sync_file_range,4035486352,100.00,,",
                "8,,syscalls:sys_enter_chmod,4035486352,100.00,,");
        assertEquals(new ForceCounter.Counts(-1, -1), ForceCounter.parse(csv), "fsync not counted, fchmodat missing");
        assertEquals(new ForceCounter.Counts(-1, -1),
                ForceCounter.parse(List.of("# started on Mon Dec  7 04:35:57 2026")));
    }

    @Test
    void countsEveryForceOfAThreadStartedWhileCounting() throws Exception {
        ForceCounter counter = ForceCounter.start(dir);
        assumeTrue(counter != null, "perf is not available here");
        Thread writer = new Thread(() -> {
            try (FileChannel channel = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                for (int i = 0; i < 25; i++) {
                    channel.write(ByteBuffer.wrap(new byte[100]));
                    channel.force(false);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        writer.join();
        long forces = counter.stop();
        assumeTrue(forces >= 0, "perf began counting after its markers (a heavily loaded machine)");
        assertEquals(25, forces);
    }
}
