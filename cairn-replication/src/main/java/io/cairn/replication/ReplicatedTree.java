package io.cairn.replication;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Op;
import io.cairn.replication.command.Reply;
import io.cairn.tree.Database;
import io.cairn.tree.Record;
import io.cairn.tree.ScanEntry;
import io.cairn.tree.Tree;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A tree of a {@link ReplicatedDatabase}: the write methods of {@link Tree}, replicated through the group, and its
 * reads, answered from this member's database (local; {@link ReplicatedDatabase#linearize} first for a linearizable
 * read). A write to a tree the group has dropped throws {@link NoSuchElementException}; a read of a tree this
 * member does not have (yet) sees it empty.
 */
public final class ReplicatedTree {
    private final ReplicatedDatabase database;
    private final String name;
    /**
     * The local tree handle the last read used, with the database it belongs to: resolving the name on every read
     * (the catalog's names, then the database's handle table) cost about ten times a lookup.
     */
    private volatile Local local;

    private record Local(Database db, Tree tree) {}

    ReplicatedTree(ReplicatedDatabase database, String name) {
        this.database = database;
        this.name = name;
    }

    public String name() {
        return name;
    }

    // ---- writes (through the leader; conditions evaluated when the log entry is applied)

    /** Stores {@code value} under {@code key}; returns the version it got (the same on every member). */
    public long put(byte[] key, byte[] value) {
        return applied(Op.put(key, value)).version();
    }

    /** Stores the value only if the key is absent; true if it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        return conditional(Op.putIfAbsent(key, value));
    }

    /** Stores the value only if the key is present with exactly {@code expectedVersion}; true if it did. */
    public boolean compareAndPut(byte[] key, long expectedVersion, byte[] value) {
        return conditional(Op.compareAndPut(key, expectedVersion, value));
    }

    /** Removes the key; true if it was present. */
    public boolean delete(byte[] key) {
        return conditional(Op.delete(key));
    }

    /** Removes the key only if it is present with exactly {@code version}; true if it did. */
    public boolean deleteIfVersion(byte[] key, long version) {
        return conditional(Op.deleteIfVersion(key, version));
    }

    /**
     * Moves the value of {@code source} to {@code target}, as {@link Tree#rename} does; returns the target's new
     * version.
     *
     * @throws NoSuchElementException if {@code source} is absent (nothing changed)
     * @throws IllegalStateException  if {@code target} exists and {@code overwrite} is false (nothing changed)
     */
    public long rename(byte[] source, byte[] target, boolean overwrite) {
        return renamed(name, source, target, database.write(new Command.Point(name, Op.rename(source, target,
                overwrite))));
    }

    private Reply applied(Op op) {
        return applied(name, op, database.write(new Command.Point(name, op)));
    }

    private boolean conditional(Op op) {
        return conditional(name, op, database.write(new Command.Point(name, op)));
    }

    /** The group's answer to a rename in {@code tree}: the target's version, or the refusal thrown. */
    static long renamed(String tree, byte[] source, byte[] target, Reply reply) {
        return switch (reply.status()) {
            case APPLIED -> reply.version();
            case SOURCE_MISSING -> throw new NoSuchElementException("rename source " + HexFormat.of().formatHex(source)
                    + " does not exist in tree " + tree + "; nothing changed");
            case TARGET_EXISTS -> throw new IllegalStateException("rename target " + HexFormat.of().formatHex(target)
                    + " already exists in tree " + tree + " and overwrite is false; nothing changed");
            default -> throw ReplicatedDatabase.refused("rename in tree " + tree, reply.status(), reply.message());
        };
    }

    /** The group's answer to an unconditional {@code op} in {@code tree}, or the refusal thrown. */
    static Reply applied(String tree, Op op, Reply reply) {
        if (reply.status() != Reply.Status.APPLIED) {
            throw ReplicatedDatabase.refused(op.kind() + " in tree " + tree, reply.status(), reply.message());
        }
        return reply;
    }

    /** The group's answer to a conditional {@code op} in {@code tree}: whether it applied. */
    static boolean conditional(String tree, Op op, Reply reply) {
        return switch (reply.status()) {
            case APPLIED -> true;
            case CONDITION_FAILED -> false;
            default -> throw ReplicatedDatabase.refused(op.kind() + " in tree " + tree, reply.status(),
                    reply.message());
        };
    }

    // ---- local reads

    /** The value under {@code key} on this member, or null. */
    public byte[] get(byte[] key) {
        Record r = getRecord(key);
        return r == null ? null : r.value();
    }

    /** The value and version under {@code key} on this member, or null. */
    public Record getRecord(byte[] key) {
        return local(t -> t.getRecord(key), null);
    }

    /**
     * At most {@code limit} entries (keys, values, versions) whose key starts with {@code prefix}, in key order, as
     * this member holds them (a {@link io.cairn.tree.Scan}: every key present for the whole scan is returned once).
     */
    public List<ScanEntry> scan(byte[] prefix, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        return local(t -> {
            List<ScanEntry> out = new ArrayList<>();
            for (ScanEntry e : t.scan(prefix).limit(limit)) {
                out.add(e);
            }
            return out;
        }, List.of());
    }

    private <T> T local(Function<Tree, T> reader, T absent) {
        return database.read((Database db) -> {
            Tree tree = handle(db);
            if (tree == null) {
                return absent;
            }
            try {
                return reader.apply(tree);
            } catch (IllegalStateException fenced) {
                // the tree was dropped (and perhaps created again) since the handle was taken: look it up afresh
                // (if the database itself was closed, the lookup throws and the read moves to its successor)
                local = null;
                Tree again = handle(db);
                return again == null ? absent : reader.apply(again);
            }
        });
    }

    /** This tree's handle in {@code db}, or null if {@code db} has no tree of this name. */
    private Tree handle(Database db) {
        Local l = local;
        if (l != null && l.db() == db) {
            return l.tree();
        }
        if (!db.treeNames().contains(name)) {
            return null;
        }
        Tree tree = db.openTree(name);
        local = new Local(db, tree);
        return tree;
    }

    @Override
    public String toString() {
        return "ReplicatedTree[" + name + " on " + database.self().id() + "]";
    }
}
