package io.cairn.stack.testkit;

import io.cairn.stack.Durability;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One round of the SIGKILL tests of durable stores whose child prints {@code open} once it is ready, then
 * {@code a T I} after operation {@code I} of writer thread {@code T} returned and {@code s T I} after that thread's
 * {@code sync()} returned having done operations up to {@code I}: the round lets the child work a random while, kills
 * it, reads its output to the end and keeps, per thread, the last operation acknowledged and the last synced.
 *
 * @param acked  per thread, the last operation whose call returned (-1: none)
 * @param synced per thread, the last operation a returned {@code sync()} covered (-1: none)
 */
public record AcknowledgedKill(int[] acked, int[] synced) {

    /**
     * Waits for the child's {@code open} and 20 to 219 acknowledgements, sleeps up to {@code maxPauseMillis}, kills it
     * with SIGKILL and reads what it printed before it died.
     */
    public static AcknowledgedKill run(ChildJvm child, int threads, SplittableRandom rnd, int maxPauseMillis)
            throws IOException, InterruptedException {
        String first = child.nextLine(Duration.ofSeconds(60));
        if (!"open".equals(first)) {
            throw new AssertionError("the child did not open its store (said " + first + "); stderr:\n"
                    + child.stderr());
        }
        List<String> lines = new ArrayList<>();
        int warmup = 20 + rnd.nextInt(200);
        while (lines.size() < warmup) {
            String line = child.nextLine(Duration.ofSeconds(60));
            if (line == null) {
                throw new AssertionError("the child ended early; stderr:\n" + child.stderr());
            }
            lines.add(line);
        }
        Thread.sleep(rnd.nextInt(maxPauseMillis));
        child.kill();
        lines.addAll(child.takeAvailableLines());
        int[] acked = new int[threads];
        int[] synced = new int[threads];
        Arrays.fill(acked, -1);
        Arrays.fill(synced, -1);
        for (String line : lines) {
            String[] f = line.split(" ");
            int t = Integer.parseInt(f[1]);
            int i = Integer.parseInt(f[2]);
            if (f[0].equals("a")) {
                acked[t] = Math.max(acked[t], i);
            } else if (f[0].equals("s")) {
                synced[t] = Math.max(synced[t], i);
            }
        }
        return new AcknowledgedKill(acked, synced);
    }

    /**
     * Whether {@code actual} is a state thread {@code t} may have after the crash: under {@code SYNC} the state after
     * its last acknowledged operation or after the one it had in flight; under {@code ASYNC} the state after any
     * operation from its last synced one on. {@code states.get(j + 1)} is the state after operation {@code j}
     * ({@code states.get(0)} the empty one), through at least the state after {@code acked[t] + 1}.
     */
    public <S> boolean allows(int t, Durability durability, List<S> states, S actual) {
        int lowest = durability == Durability.SYNC ? acked[t] : synced[t];
        for (int j = lowest; j <= acked[t] + 1; j++) {
            if (states.get(j + 1).equals(actual)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "acknowledged " + Arrays.toString(acked) + ", synced " + Arrays.toString(synced);
    }
}
