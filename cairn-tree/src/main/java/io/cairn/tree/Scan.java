package io.cairn.tree;

import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.FrameView;
import io.cairn.tree.engine.ScanBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An ordered scan of the keys under a prefix, in unsigned byte order; configure it, then iterate or stream it.
 * Each configuration method returns a new scan.
 *
 * <p>Iteration is a restart-on-conflict cursor, not a snapshot: it fetches entries in chunks (up to 256), each
 * chunk one validated pass over the tree that resumes strictly after the last entry returned. A chunk is
 * consistent on its own (a batch is in it entirely or not at all); between chunks, writes may land. Every key
 * present for the whole scan is returned exactly once. After a few failed passes a chunk runs with writers held
 * off, so a scan cannot livelock under write churn. Use a {@link Snapshot} for a consistent view of many keys.
 *
 * <p>Two ways to read: iterating hands out {@link ScanEntry} objects the caller may keep (a key and a value array
 * per entry); {@link #visit} shows each entry in place through a {@link ScanView} and allocates nothing per entry,
 * for callers that consume a listing as it goes (serialise it, filter it, copy what they keep). Both read the same
 * validated chunks.
 */
public final class Scan implements Iterable<ScanEntry> {
    private final Engine engine;
    private final FrameView view;
    private final Runnable openCheck;
    private final byte[] prefix;
    private final byte[] startAfter;
    private final int delimiter;
    private final boolean keysOnly;
    private final long limit;

    Scan(Engine engine, FrameView view, Runnable openCheck, byte[] prefix) {
        this(engine, view, openCheck, prefix, null, -1, false, Long.MAX_VALUE);
    }

    private Scan(Engine engine, FrameView view, Runnable openCheck, byte[] prefix, byte[] startAfter, int delimiter,
            boolean keysOnly, long limit) {
        this.engine = engine;
        this.view = view;
        this.openCheck = openCheck;
        this.prefix = prefix;
        this.startAfter = startAfter;
        this.delimiter = delimiter;
        this.keysOnly = keysOnly;
        this.limit = limit;
    }

    /** Only entries strictly greater than {@code key} (for a common prefix: the prefix itself is compared). */
    public Scan startAfter(byte[] key) {
        return new Scan(engine, view, openCheck, prefix, Keys.checked("startAfter", key).clone(), delimiter,
                keysOnly, limit);
    }

    /**
     * Rolls up every key with {@code delimiter} after the scan prefix into one common-prefix entry that ends with
     * the first such delimiter, skipping the rolled-up keys without visiting them.
     */
    public Scan delimiter(byte delimiter) {
        return new Scan(engine, view, openCheck, prefix, startAfter, delimiter & 0xFF, keysOnly, limit);
    }

    /** Entries without values (cheaper: values are not copied). */
    public Scan keysOnly() {
        return new Scan(engine, view, openCheck, prefix, startAfter, delimiter, true, limit);
    }

    /** At most {@code n} entries (common prefixes count as entries). */
    public Scan limit(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + n);
        }
        return new Scan(engine, view, openCheck, prefix, startAfter, delimiter, keysOnly, n);
    }

    @Override
    public Iterator<ScanEntry> iterator() {
        openCheck.run();
        return new Cursor();
    }

    public Stream<ScanEntry> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    /** All entries as a list. */
    public List<ScanEntry> toList() {
        List<ScanEntry> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    /**
     * Shows every entry to {@code visitor}, in order, until the scan ends or the visitor returns false; returns how
     * many entries it was shown. The {@link ScanView} and the bytes it exposes are valid only during the call that
     * receives them. The visitor runs outside the tree's latches and may read or write the tree (its writes follow
     * the rules of iteration: a chunk already fetched is not revisited).
     */
    public long visit(ScanVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        ScanView view = new ScanView();
        Chunks chunks = new Chunks();
        long visited = 0;
        for (ScanBuffer chunk; (chunk = chunks.next()) != null;) {
            try {
                for (int i = 0; i < chunk.size(); i++) {
                    view.show(chunk, i);
                    visited++;
                    if (!visitor.visit(view)) {
                        return visited;
                    }
                }
            } finally {
                view.show(null, 0);
                chunk.release();
            }
        }
        return visited;
    }

    /** How far one reading of the scan has come; each chunk resumes strictly after the previous one's last entry. */
    private final class Chunks {
        private byte[] bound = startAfter;
        private long remaining = limit;
        private boolean exhausted;

        /**
         * The next validated chunk (up to {@link ScanBuffer#CHUNK} entries), which the caller reads and then
         * releases; null once the scan has no more.
         */
        ScanBuffer next() {
            if (exhausted || remaining <= 0) {
                return null;
            }
            int want = (int) Math.min(remaining, ScanBuffer.CHUNK);
            openCheck.run();
            ScanBuffer chunk = engine.scan(view, prefix, bound, delimiter, keysOnly, want);
            int n = chunk.size();
            remaining -= n;
            exhausted = n < want || remaining == 0;
            if (!exhausted) {
                bound = chunk.key(n - 1);
            }
            return chunk;
        }
    }

    private final class Cursor implements Iterator<ScanEntry> {
        private final Chunks chunks = new Chunks();
        private ScanEntry[] chunk = new ScanEntry[0];
        private int pos;

        @Override
        public boolean hasNext() {
            if (pos < chunk.length) {
                return true;
            }
            ScanBuffer next = chunks.next();
            if (next == null) {
                return false;
            }
            try {
                chunk = new ScanEntry[next.size()];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = ScanEntry.of(next, i);
                }
            } finally {
                next.release();
            }
            pos = 0;
            return chunk.length > 0;
        }

        @Override
        public ScanEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException("scan has no more entries");
            }
            return chunk[pos++];
        }
    }
}
