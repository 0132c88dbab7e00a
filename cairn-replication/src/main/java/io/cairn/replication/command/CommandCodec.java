package io.cairn.replication.command;

import io.cairn.stack.CorruptedStoreException;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands to and from the bytes of a Raft log entry ({@link CommandFormat}). Encoding checks every argument as the
 * tree would (null, key and value lengths, tree names) and names it, so a bad write is refused before it is
 * replicated.
 */
public final class CommandCodec {
    private CommandCodec() {}

    public static byte[] encode(Command command) {
        return switch (command) {
            case Command.Point p -> op(new WireWriter(CommandFormat.POINT).name(p.tree()), p.op()).finish();
            case Command.Atomic a -> {
                if (a.trees().size() > 0xFFFF) {
                    throw new IllegalArgumentException("a batch names at most 65,535 trees, got " + a.trees().size());
                }
                WireWriter w = new WireWriter(CommandFormat.ATOMIC).u16(a.trees().size());
                for (Command.TreeOps t : a.trees()) {
                    w.name(t.tree()).u32(t.ops().size());
                    for (Op op : t.ops()) {
                        op(w, op);
                    }
                }
                yield w.finish();
            }
            case Command.CreateTree c -> new WireWriter(CommandFormat.CREATE_TREE).name(c.name()).finish();
            case Command.DropTree d -> new WireWriter(CommandFormat.DROP_TREE).name(d.name()).finish();
        };
    }

    private static WireWriter op(WireWriter w, Op op) {
        w.u8(op.kind().code);
        w.bytes(op.kind() == Op.Kind.RENAME ? "source" : op.kind() == Op.Kind.ASSERT_PREFIX_EMPTY ? "prefix"
                : "key", op.key(), CommandFormat.MAX_KEY);
        if (op.kind().hasOther) {
            if (op.kind() == Op.Kind.RENAME) {
                w.bytes("target", op.other(), CommandFormat.MAX_KEY);
            } else {
                w.bytes("value", op.other(), CommandFormat.MAX_VALUE);
            }
        }
        if (op.kind().hasVersion()) {
            w.u64(op.version());
        }
        if (op.kind() == Op.Kind.RENAME) {
            w.u8(op.overwrite() ? 1 : 0);
        }
        return w;
    }

    /**
     * The command in {@code bytes}.
     *
     * @param what names the bytes in a refusal ("log entry 42")
     * @throws CorruptedStoreException if they are damaged or not a command
     */
    public static Command decode(byte[] bytes, String what) throws CorruptedStoreException {
        WireReader r = new WireReader(bytes, what);
        Command c = switch (r.kind()) {
            case CommandFormat.POINT -> new Command.Point(r.name(), op(r));
            case CommandFormat.ATOMIC -> {
                int trees = r.count(r.u16(), 6);
                List<Command.TreeOps> out = new ArrayList<>(trees);
                for (int i = 0; i < trees; i++) {
                    String name = r.name();
                    int n = r.count(r.u32(), 3);
                    List<Op> ops = new ArrayList<>(n);
                    for (int j = 0; j < n; j++) {
                        ops.add(op(r));
                    }
                    out.add(new Command.TreeOps(name, ops));
                }
                yield new Command.Atomic(out);
            }
            case CommandFormat.CREATE_TREE -> new Command.CreateTree(r.name());
            case CommandFormat.DROP_TREE -> new Command.DropTree(r.name());
            default -> throw r.corrupt("kind", "a command (1 to 4)", String.valueOf(r.kind()));
        };
        r.done();
        return c;
    }

    private static Op op(WireReader r) throws CorruptedStoreException {
        int code = r.u8();
        Op.Kind kind = Op.Kind.of(code);
        if (kind == null) {
            throw r.corrupt("operation code", "1 to 9", String.valueOf(code));
        }
        byte[] key = r.bytes(CommandFormat.MAX_KEY);
        byte[] other = kind.hasOther ? r.bytes(kind == Op.Kind.RENAME ? CommandFormat.MAX_KEY : CommandFormat.MAX_VALUE)
                : null;
        long version = kind.hasVersion() ? r.u64() : 0;
        boolean overwrite = false;
        if (kind == Op.Kind.RENAME) {
            int flag = r.u8();
            if (flag > 1) {
                throw r.corrupt("overwrite flag", "0 or 1", String.valueOf(flag));
            }
            overwrite = flag == 1;
        }
        return new Op(kind, key, other, version, overwrite);
    }
}
