package io.cairn.stack.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A linearizability checker over recorded histories, after Wing and Gong (1993) with Lowe's memoisation (2017):
 * a history is linearizable if its operations can be put in one order that respects real time (an operation that
 * returned before another was called comes first) and in which every operation's recorded result is what a
 * sequential model gives. The search picks, at each step, an operation that no pending operation precedes in real
 * time, applies it to the model, and backtracks on a wrong result; a (set of linearized operations, model state)
 * pair already explored is not explored again.
 *
 * <p>Shared with the other modules through cairn-stack's test-jar (the tree's concurrent operations, the replicated
 * group's histories). An operation whose outcome is unknown (a client gave up waiting) is a call that never
 * returned: {@code returned = Long.MAX_VALUE}, so it may be placed anywhere after its invocation, including last,
 * where its effect constrains nothing.
 *
 * @param <S> the model state: immutable, with value equality (it is a memo key)
 */
public final class Linearizability<S> {

    /** One operation of the sequential model: the state after it, or null if its recorded result is impossible. */
    public interface Step<S> {
        S apply(S state);
    }

    /** A completed operation: its real-time interval and the step that checks its result. */
    public record Call<S>(long invoked, long returned, Step<S> step, String description) {
        public Call {
            if (returned < invoked) {
                throw new IllegalArgumentException("returned before invoked: " + description);
            }
        }
    }

    private final List<Call<S>> calls;
    private final Set<Object> explored = new HashSet<>();

    private Linearizability(List<Call<S>> calls) {
        this.calls = List.copyOf(calls);
        if (this.calls.size() > 62) {
            throw new IllegalArgumentException("at most 62 operations per history, got " + calls.size());
        }
    }

    /** Whether {@code history}, run from {@code initial}, has a linearization. */
    public static <S> boolean check(S initial, List<Call<S>> history) {
        return new Linearizability<>(history).search(0L, Objects.requireNonNull(initial, "initial"));
    }

    private boolean search(long done, S state) {
        if (Long.bitCount(done) == calls.size()) {
            return true;
        }
        if (!explored.add(List.of(done, state))) {
            return false;
        }
        // the earliest return among pending calls: only calls invoked before it may go next
        long horizon = Long.MAX_VALUE;
        for (int i = 0; i < calls.size(); i++) {
            if ((done & (1L << i)) == 0) {
                horizon = Math.min(horizon, calls.get(i).returned());
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            Call<S> c = calls.get(i);
            if ((done & (1L << i)) == 0 && c.invoked() <= horizon) {
                S next = c.step().apply(state);
                if (next != null && search(done | (1L << i), next)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Renders a history for a failure message. */
    public static <S> String describe(List<Call<S>> history) {
        List<String> lines = new ArrayList<>();
        long origin = history.stream().mapToLong(Call::invoked).min().orElse(0);
        for (Call<S> c : history) {
            lines.add(String.format("  [%,d .. %,d] %s", c.invoked() - origin, c.returned() - origin,
                    c.description()));
        }
        return String.join("\n", lines);
    }
}
