package io.cairn.replication.command;

import io.cairn.stack.CorruptedStoreException;
import java.util.ArrayList;
import java.util.List;

/** The answer to a {@link Query}, as bytes in a Raft reply ({@link CommandFormat}). */
public sealed interface QueryResult {

    /** A {@link Query.Get}'s answer: the value and version, or absent (both null / 0). */
    record Found(byte[] value, long version) implements QueryResult {
        public boolean present() {
            return value != null;
        }
    }

    /** One entry of a scan: a record, or a common prefix rolled up at the delimiter (no value, version 0). */
    record Entry(boolean commonPrefix, byte[] key, byte[] value, long version) {}

    /** A {@link Query.Scan}'s entries, in key order. */
    record Entries(List<Entry> entries) implements QueryResult {
        public Entries {
            entries = List.copyOf(entries);
        }
    }

    /** The trees' names, sorted. */
    record Names(List<String> names) implements QueryResult {
        public Names {
            names = List.copyOf(names);
        }
    }

    /** A {@link Query.Barrier}'s answer: the replica's applied log index. */
    record Applied(long index) implements QueryResult {}

    static byte[] encode(QueryResult result) {
        return switch (result) {
            case Found f -> {
                WireWriter w = new WireWriter(CommandFormat.RECORD).u8(f.present() ? 1 : 0);
                if (f.present()) {
                    w.bytes("value", f.value(), CommandFormat.MAX_VALUE).u64(f.version());
                }
                yield w.finish();
            }
            case Entries e -> {
                WireWriter w = new WireWriter(CommandFormat.ENTRIES).u32(e.entries().size());
                for (Entry x : e.entries()) {
                    w.u8(x.commonPrefix() ? 1 : 0).bytes("key", x.key(), CommandFormat.MAX_KEY)
                            .bytes("value", x.value() == null ? new byte[0] : x.value(), CommandFormat.MAX_VALUE)
                            .u64(x.version());
                }
                yield w.finish();
            }
            case Names n -> {
                WireWriter w = new WireWriter(CommandFormat.NAMES).u32(n.names().size());
                n.names().forEach(w::name);
                yield w.finish();
            }
            case Applied a -> new WireWriter(CommandFormat.APPLIED).u64(a.index()).finish();
        };
    }

    static QueryResult decode(byte[] bytes) throws CorruptedStoreException {
        WireReader r = new WireReader(bytes, "query result");
        QueryResult q = switch (r.kind()) {
            case CommandFormat.RECORD -> r.u8() != 0 ? new Found(r.bytes(CommandFormat.MAX_VALUE), r.u64())
                    : new Found(null, 0);
            case CommandFormat.ENTRIES -> {
                int n = r.count(r.u32(), 13);
                List<Entry> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    boolean common = r.u8() != 0;
                    out.add(new Entry(common, r.bytes(CommandFormat.MAX_KEY), r.bytes(CommandFormat.MAX_VALUE),
                            r.u64()));
                }
                yield new Entries(out);
            }
            case CommandFormat.NAMES -> {
                int n = r.count(r.u32(), 2);
                List<String> names = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    names.add(r.name());
                }
                yield new Names(names);
            }
            case CommandFormat.APPLIED -> new Applied(r.u64());
            default -> throw r.corrupt("kind", "a query result (48 to 51)", String.valueOf(r.kind()));
        };
        r.done();
        return q;
    }
}
