package io.cairn.replication.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log entries, replies and queries survive encoding; damaged bytes are refused, never decoded as something else. */
class CommandCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static List<Command> everyCommand() {
        return List.of(
                new Command.Point("t", Op.put(b("k"), b("v"))),
                new Command.Point("tree é", Op.putIfAbsent(b(""), new byte[0])),
                new Command.Point("t", Op.compareAndPut(b("k"), Long.MAX_VALUE, b("v"))),
                new Command.Point("t", Op.delete(b("k"))),
                new Command.Point("t", Op.deleteIfVersion(b("k"), 7)),
                new Command.Point("t", Op.rename(b("a"), b("b"), true)),
                new Command.Atomic(List.of(
                        new Command.TreeOps("a", List.of(Op.assertVersion(b("x"), 3), Op.assertAbsent(b("y")),
                                Op.assertPrefixEmpty(b("p/")), Op.put(b("x"), b("1")))),
                        new Command.TreeOps("b", List.of(Op.rename(b("s"), b("t"), false))))),
                new Command.Atomic(List.of()),
                new Command.CreateTree("new"),
                new Command.DropTree("old"));
    }

    @Test
    void everyCommandRoundTrips() throws CorruptedStoreException {
        for (Command c : everyCommand()) {
            assertEquals(c, CommandCodec.decode(CommandCodec.encode(c), "test"), c.toString());
        }
    }

    @Test
    void everyDamagedByteIsRefused() {
        for (Command c : everyCommand()) {
            byte[] good = CommandCodec.encode(c);
            for (int i = 0; i < good.length; i++) {
                byte[] bad = good.clone();
                bad[i] ^= 0x10;
                assertThrows(CorruptedStoreException.class, () -> CommandCodec.decode(bad, "entry"), c + " byte " + i);
            }
            for (int n = 0; n < good.length; n++) {
                byte[] cut = Arrays.copyOf(good, n);
                assertThrows(CorruptedStoreException.class, () -> CommandCodec.decode(cut, "entry"), c + " cut " + n);
            }
        }
    }

    @Test
    void aNewerFormatVersionIsNamed() {
        byte[] bytes = CommandCodec.encode(new Command.CreateTree("t"));
        bytes[CommandFormat.VERSION_OFFSET] = 9;
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class,
                () -> CommandCodec.decode(bytes, "log entry 5"));
        assertTrue(e.getMessage().contains("log entry 5") && e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void repliesAndQueriesRoundTrip() throws CorruptedStoreException {
        Reply r = new Reply(Reply.Status.REJECTED, 42, "no room");
        assertEquals(r, Reply.decode(r.encode()));
        for (Query q : List.of(new Query.Get("t", b("k")), new Query.TreeNames(), new Query.Barrier())) {
            assertEquals(q.getClass(), Query.decode(Query.encode(q)).getClass());
        }
        Query.Scan s = (Query.Scan) Query.decode(Query.encode(new Query.Scan("t", b("p"), b("p1"), '/', 10, true)));
        assertEquals("t", s.tree());
        assertEquals('/', s.delimiter());
        assertEquals(10, s.limit());
        assertTrue(s.keysOnly());
        Query.Scan none = (Query.Scan) Query.decode(Query.encode(new Query.Scan("t", b(""), null, -1, 0, false)));
        assertEquals(-1, none.delimiter());
        assertEquals(null, none.startAfter());
        QueryResult.Found f = (QueryResult.Found) QueryResult.decode(
                QueryResult.encode(new QueryResult.Found(b("v"), 9)));
        assertEquals(9, f.version());
        assertEquals(new QueryResult.Applied(12), QueryResult.decode(QueryResult.encode(new QueryResult.Applied(12))));
    }

    @Test
    void badArgumentsAreRefusedBeforeEncoding() {
        assertThrows(IllegalArgumentException.class, () -> Op.put(new byte[CommandFormat.MAX_KEY + 1], b("v")));
        assertThrows(IllegalArgumentException.class, () -> Op.put(b("k"), new byte[CommandFormat.MAX_VALUE + 1]));
        assertThrows(NullPointerException.class, () -> Op.delete(null));
        assertThrows(IllegalArgumentException.class,
                () -> CommandCodec.encode(new Command.CreateTree("with\0nul")));
        assertThrows(IllegalArgumentException.class, () -> CommandCodec.encode(new Command.CreateTree("")));
    }
}
