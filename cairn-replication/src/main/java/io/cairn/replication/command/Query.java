package io.cairn.replication.command;

import io.cairn.stack.CorruptedStoreException;
import java.util.Objects;

/**
 * A read-only request to a replica, answered from its state after a Raft read index (linearizable): how a client
 * outside the group reads ({@code cairn tree --cluster}), and how a member waits for the group ({@link Barrier}).
 */
public sealed interface Query {

    /** The record under {@code key}. */
    record Get(String tree, byte[] key) implements Query {
        public Get {
            Objects.requireNonNull(tree, "tree");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * At most {@code limit} entries under {@code prefix} after {@code startAfter} (null: from the start), rolled up
     * at {@code delimiter} (-1: none).
     */
    record Scan(String tree, byte[] prefix, byte[] startAfter, int delimiter, long limit, boolean keysOnly)
            implements Query {
        public Scan {
            Objects.requireNonNull(tree, "tree");
            Objects.requireNonNull(prefix, "prefix");
            if (delimiter < -1 || delimiter > 255) {
                throw new IllegalArgumentException("delimiter must be a byte or -1, got " + delimiter);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative, got " + limit);
            }
        }
    }

    /** The names of the trees. */
    record TreeNames() implements Query {}

    /** Nothing to read: answered with the replica's applied index once it has caught up with the read index. */
    record Barrier() implements Query {}

    static byte[] encode(Query query) {
        return switch (query) {
            case Get g -> new WireWriter(CommandFormat.GET).name(g.tree()).bytes("key", g.key(), CommandFormat.MAX_KEY)
                    .finish();
            case Scan s -> {
                WireWriter w = new WireWriter(CommandFormat.SCAN).name(s.tree())
                        .bytes("prefix", s.prefix(), CommandFormat.MAX_KEY).u8(s.startAfter() != null ? 1 : 0);
                if (s.startAfter() != null) {
                    w.bytes("startAfter", s.startAfter(), CommandFormat.MAX_KEY);
                }
                yield w.u16(s.delimiter() & 0xFFFF).u64(s.limit()).u8(s.keysOnly() ? 1 : 0).finish();
            }
            case TreeNames t -> new WireWriter(CommandFormat.TREE_NAMES).finish();
            case Barrier b -> new WireWriter(CommandFormat.BARRIER).finish();
        };
    }

    static Query decode(byte[] bytes) throws CorruptedStoreException {
        WireReader r = new WireReader(bytes, "query");
        Query q = switch (r.kind()) {
            case CommandFormat.GET -> new Get(r.name(), r.bytes(CommandFormat.MAX_KEY));
            case CommandFormat.SCAN -> {
                String tree = r.name();
                byte[] prefix = r.bytes(CommandFormat.MAX_KEY);
                byte[] start = r.u8() != 0 ? r.bytes(CommandFormat.MAX_KEY) : null;
                int delimiter = (short) r.u16();
                long limit = r.u64();
                boolean keysOnly = r.u8() != 0;
                if (delimiter < -1 || limit < 0) {
                    throw r.corrupt("scan bounds", "a delimiter byte or -1 and a limit >= 0",
                            delimiter + " and " + limit);
                }
                yield new Scan(tree, prefix, start, delimiter, limit, keysOnly);
            }
            case CommandFormat.TREE_NAMES -> new TreeNames();
            case CommandFormat.BARRIER -> new Barrier();
            default -> throw r.corrupt("kind", "a query (16 to 19)", String.valueOf(r.kind()));
        };
        r.done();
        return q;
    }
}
