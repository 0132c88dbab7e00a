package io.cairn.tree;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;

/**
 * One fault-injection round of a database maintenance call ({@link VacuumTest}, {@link CompactTest}): the
 * {@code n}-th write or force after the call starts fails or tears, then the database is closed (its failure
 * swallowed) or the machine loses power.
 */
final class MaintenanceFault {
    private MaintenanceFault() {}

    /**
     * Arms fault {@code kind} ({@code fail-write}, {@code tear-write} or {@code fail-force}) at the {@code n}-th
     * write or force, runs {@code call} (its failure expected), then crashes or closes; returns whether the call
     * reached the fault.
     */
    static boolean inject(FaultyStorageIo io, Database db, String kind, int n, boolean powerLoss, Runnable call)
            throws IOException {
        long writes = io.writes();
        long forces = io.forces();
        switch (kind) {
            case "fail-write" -> io.failWrite(n);
            case "tear-write" -> io.tearWrite(n);
            default -> io.failForce(n);
        }
        try {
            call.run();
        } catch (RuntimeException expected) {
            // the fault, or the failed store it left
        }
        boolean reached = kind.equals("fail-force") ? io.forces() - forces >= n : io.writes() - writes >= n;
        io.clearFaults();
        if (powerLoss) {
            io.crash();
        } else {
            try {
                db.close();
            } catch (RuntimeException failed) {
                // a failed store's close reports the failure again; its files are released
            }
        }
        return reached;
    }
}
