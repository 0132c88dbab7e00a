package io.cairn.bench.tree;

import io.cairn.stack.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SQLite with one {@code WITHOUT ROWID} table (BLOB keys compare with memcmp, i.e. unsigned byte order) and prepared
 * statements, in one of two configurations. A JDBC connection must not be used by two threads at once, so every use
 * of a connection holds its monitor.
 *
 * <p>{@link #memory}: {@code :memory:}, which belongs to one connection, so with several threads the rows measure
 * that one connection shared under its lock. {@link #file}: a database file in WAL mode with {@code synchronous=FULL}
 * (SYNC: each commit forces the WAL) or {@code OFF} (ASYNC), a page cache of the settings' size, writes through one
 * connection (SQLite has one writer at a time anyway) and reads through a connection per reading thread, as WAL
 * mode lets readers run beside the writer.
 */
final class SqliteEngine implements DurableEngine {
    private final Connection writer;
    private final Statements writes;
    /** The statements a thread reads through: the writer's in memory, a connection of its own for a file. */
    private final ThreadLocal<Statements> reads;
    private final List<Connection> readers = new CopyOnWriteArrayList<>();
    private final String url;
    private final long cacheKiB;

    private SqliteEngine(String url, long cacheBytes, List<String> pragmas) throws Exception {
        this.url = url;
        this.cacheKiB = cacheBytes >> 10;
        writer = DriverManager.getConnection(url);
        try (Statement statement = writer.createStatement()) {
            for (String pragma : pragmas) {
                statement.execute("PRAGMA " + pragma);
            }
            statement.execute("CREATE TABLE IF NOT EXISTS kv (k BLOB NOT NULL PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
        }
        writes = new Statements(writer);
        reads = url.endsWith(":memory:") ? ThreadLocal.withInitial(() -> writes)
                : ThreadLocal.withInitial(this::openReader);
    }

    static SqliteEngine memory() throws Exception {
        return new SqliteEngine("jdbc:sqlite::memory:", 2L << 20, List.of("synchronous = OFF"));
    }

    static SqliteEngine file(Path dir, Settings settings) throws Exception {
        return new SqliteEngine("jdbc:sqlite:" + Files.createDirectories(dir).resolve("kv.sqlite"), settings.cacheBytes(), List.of(
                "journal_mode = WAL",
                "synchronous = " + (settings.durability() == Durability.SYNC ? "FULL" : "OFF"),
                "cache_size = -" + (settings.cacheBytes() >> 10),
                "wal_autocheckpoint = " + (settings.holdLog() ? 0 : 1000)));
    }

    private Statements openReader() {
        try {
            Connection connection = DriverManager.getConnection(url);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA cache_size = -" + cacheKiB);
            }
            readers.add(connection);
            return new Statements(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("opening a SQLite reader connection on " + url + " failed", e);
        }
    }

    /** One transaction for the whole load. */
    @Override
    public void load(byte[][] keys, byte[][] values) throws Exception {
        synchronized (writes) {
            writer.setAutoCommit(false);
            for (int i = 0; i < keys.length; i++) {
                writes.put(keys[i], values[i]);
            }
            writer.commit();
            writer.setAutoCommit(true);
        }
    }

    @Override
    public byte[] get(byte[] key) throws Exception {
        Statements statements = reads.get();
        synchronized (statements) {
            return statements.get(key);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) throws Exception {
        synchronized (writes) {
            writes.put(key, value);
        }
    }

    @Override
    public void delete(byte[] key) throws Exception {
        synchronized (writes) {
            writes.remove.setBytes(1, key);
            writes.remove.executeUpdate();
        }
    }

    /** One transaction: one commit (one WAL force under SYNC). */
    @Override
    public void rename(byte[] source, byte[] target) throws Exception {
        synchronized (writes) {
            writer.setAutoCommit(false);
            try {
                writes.put(target, writes.get(source));
                writes.remove.setBytes(1, source);
                writes.remove.executeUpdate();
                writer.commit();
            } catch (SQLException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        }
    }

    @Override
    public void list(byte[] prefix, int limit, ScanSink sink) throws Exception {
        Statements statements = reads.get();
        synchronized (statements) {
            try (Statements.Cursor cursor = statements.new Cursor()) {
                OrderedCursor.list(cursor, prefix, limit, sink);
            }
        }
    }

    @Override
    public void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        Statements statements = reads.get();
        synchronized (statements) {
            try (Statements.Cursor cursor = statements.new Cursor()) {
                OrderedCursor.listDir(cursor, prefix, delimiter, limit, sink);
            }
        }
    }

    /** page_count × page_size of the database (in memory: all of it; for a file: its size, not what is cached). */
    @Override
    public long reportedMemoryBytes() throws Exception {
        if (!url.endsWith(":memory:")) {
            return -1;
        }
        synchronized (writes) {
            return Long.parseLong(pragma("page_count")) * Long.parseLong(pragma("page_size"));
        }
    }

    private String pragma(String name) throws Exception {
        try (Statement statement = writer.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getString(1);
        }
    }

    /** Runs {@code sql} on the writer under {@code synchronous=FULL}, then restores the engine's setting. */
    private void underFullSync(String... sql) throws Exception {
        synchronized (writes) {
            try (Statement statement = writer.createStatement()) {
                String mode = pragma("synchronous");
                statement.execute("PRAGMA synchronous = FULL");
                for (String each : sql) {
                    statement.execute(each);
                }
                statement.execute("PRAGMA synchronous = " + mode);
            }
        }
    }

    /**
     * SQLite has no "force now" call; a commit under {@code synchronous=FULL} forces the WAL, and with it every frame
     * appended before. So: one marker row committed under FULL (in a table of its own, outside the data).
     */
    @Override
    public void sync() throws Exception {
        underFullSync("CREATE TABLE IF NOT EXISTS sync_marker (id INTEGER PRIMARY KEY, n INTEGER)",
                "INSERT OR REPLACE INTO sync_marker (id, n) VALUES (1, COALESCE((SELECT n FROM sync_marker"
                        + " WHERE id = 1), 0) + 1)");
    }

    /** Copies the WAL into the database file and truncates it, forcing both ({@code synchronous=FULL} meanwhile). */
    @Override
    public void checkpoint() throws Exception {
        underFullSync("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    @Override
    public void close() throws IOException {
        try {
            for (Connection reader : readers) {
                reader.close();
            }
            synchronized (writes) {
                writer.close();
            }
        } catch (SQLException e) {
            throw new IOException("closing the SQLite connections of " + url + " failed", e);
        }
    }

    /** One connection's prepared statements; used only under its monitor. */
    private static final class Statements {
        final PreparedStatement select;
        final PreparedStatement upsert;
        final PreparedStatement remove;
        final PreparedStatement range;

        Statements(Connection connection) throws SQLException {
            select = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
            upsert = connection.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
            remove = connection.prepareStatement("DELETE FROM kv WHERE k = ?");
            range = connection.prepareStatement("SELECT k, v FROM kv WHERE k >= ? ORDER BY k");
        }

        byte[] get(byte[] key) throws SQLException {
            select.setBytes(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getBytes(1) : null;
            }
        }

        void put(byte[] key, byte[] value) throws SQLException {
            upsert.setBytes(1, key);
            upsert.setBytes(2, value);
            upsert.executeUpdate();
        }

        /** A seek runs the range query from the new lower bound; SQLite steps the index lazily as rows are read. */
        final class Cursor implements OrderedCursor, AutoCloseable {
            private ResultSet rows;
            private boolean valid;

            @Override
            public void seek(byte[] from) throws Exception {
                close();
                range.setBytes(1, from);
                rows = range.executeQuery();
                valid = rows.next();
            }

            @Override
            public boolean valid() {
                return valid;
            }

            @Override
            public byte[] key() throws Exception {
                return rows.getBytes(1);
            }

            @Override
            public byte[] value() throws Exception {
                return rows.getBytes(2);
            }

            @Override
            public void next() throws Exception {
                valid = rows.next();
            }

            @Override
            public void close() throws SQLException {
                if (rows != null) {
                    rows.close();
                    rows = null;
                }
            }
        }
    }
}
