package io.cairn.tree;

import io.cairn.tree.engine.BatchOp;
import io.cairn.tree.engine.BatchOp.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations of one {@link Tree#atomic} call, recorded in order and applied all together or not at all.
 *
 * <p>Every operation is checked against the tree as changed by the operations before it in the same batch, and
 * all checks run before anything is written. A conditional operation whose condition does not hold (a
 * {@code putIfAbsent} on a present key, a {@code compareAndPut} or {@code deleteIfVersion} with another version,
 * a {@code rename} of a missing source or onto an existing target without overwrite) fails the batch like a failed
 * guard: {@code atomic} then returns false and changes nothing. A plain {@code delete} of an absent key is not a
 * failure. Arguments are validated when recorded.
 */
public final class AtomicBatch {
    private final List<BatchOp> ops = new ArrayList<>();
    private boolean sealed;

    AtomicBatch() {}

    public AtomicBatch put(byte[] key, byte[] value) {
        return add(Kind.PUT, Keys.key(key), Keys.value(value), 0, false);
    }

    public AtomicBatch putIfAbsent(byte[] key, byte[] value) {
        return add(Kind.PUT_IF_ABSENT, Keys.key(key), Keys.value(value), 0, false);
    }

    public AtomicBatch compareAndPut(byte[] key, long expectedVersion, byte[] value) {
        return add(Kind.COMPARE_AND_PUT, Keys.key(key), Keys.value(value), expectedVersion, false);
    }

    public AtomicBatch delete(byte[] key) {
        return add(Kind.DELETE, Keys.key(key), null, 0, false);
    }

    public AtomicBatch deleteIfVersion(byte[] key, long version) {
        return add(Kind.DELETE_IF_VERSION, Keys.key(key), null, version, false);
    }

    /**
     * Moves the value of {@code source} to {@code target} (with a new version), as {@link Tree#rename} does: onto an
     * existing target (the source itself included) only with {@code overwrite}.
     */
    public AtomicBatch rename(byte[] source, byte[] target, boolean overwrite) {
        return add(Kind.RENAME, Keys.checked("source", source), Keys.checked("target", target), 0, overwrite);
    }

    /** Guard: the key is present with exactly this version. */
    public AtomicBatch assertVersion(byte[] key, long version) {
        return add(Kind.ASSERT_VERSION, Keys.key(key), null, version, false);
    }

    /** Guard: the key is absent. */
    public AtomicBatch assertAbsent(byte[] key) {
        return add(Kind.ASSERT_ABSENT, Keys.key(key), null, 0, false);
    }

    /** Guard: no key starts with {@code prefix}. */
    public AtomicBatch assertPrefixEmpty(byte[] prefix) {
        return add(Kind.ASSERT_PREFIX_EMPTY, Keys.checked("prefix", prefix), null, 0, false);
    }

    private AtomicBatch add(Kind kind, byte[] key, byte[] other, long version, boolean overwrite) {
        if (sealed) {
            throw new IllegalStateException("this batch was already applied; record operations inside the body");
        }
        ops.add(new BatchOp(kind, key.clone(), other == null ? null : other.clone(), version, overwrite));
        return this;
    }

    List<BatchOp> seal() {
        sealed = true;
        return ops;
    }
}
