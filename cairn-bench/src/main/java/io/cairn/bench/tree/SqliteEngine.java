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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sqlite.SQLiteConfig;

/**
 * SQLite with one {@code WITHOUT ROWID} table (BLOB keys compare with memcmp, i.e. unsigned byte order) and prepared
 * statements, in one of two configurations. A JDBC connection must not be used by two threads at once: the writer's
 * every use holds its monitor, and a reader connection serves one thread at a time.
 *
 * <p>{@link #memory}: {@code :memory:}, which belongs to one connection, so with several threads the rows measure
 * that one connection shared under its lock. {@link #file}: a database file in WAL mode with {@code synchronous=FULL}
 * (SYNC: each commit forces the WAL) or {@code OFF} (ASYNC), a page cache of the settings' size, writes through one
 * connection (SQLite has one writer at a time anyway) and reads through reader connections beside it, as WAL mode
 * allows: a reading call takes an idle one (opening one when every one is busy) and gives it back, so there are as
 * many as threads read at once, each keeping its page cache warm across the harness's rounds, whose threads come
 * and go.
 *
 * <p>The writer begins its transactions {@code IMMEDIATE} (taking the write lock first, waiting up to
 * {@link #BUSY_TIMEOUT_MS} for it) and a statement outside a transaction waits just as long. A deferred transaction
 * that reads before it writes (a rename) would have to upgrade its read snapshot to a write, and SQLite refuses that
 * at once with SQLITE_BUSY, without the busy timeout, whenever another connection holds the write lock at that moment
 * (in WAL mode a reader rebuilding the WAL index header it saw change takes it for a moment).
 */
final class SqliteEngine implements DurableEngine {
    /** How long a write waits for the write lock before it fails with SQLITE_BUSY. */
    static final int BUSY_TIMEOUT_MS = 10_000;

    private final Connection writer;
    private final Statements writes;
    /** Every reader connection opened (a file database), for closing. */
    private final List<Connection> readers = new CopyOnWriteArrayList<>();
    /** The reader connections no thread is reading through now. */
    private final Queue<Statements> idleReaders = new ConcurrentLinkedQueue<>();
    private final boolean inMemory;
    private final String url;
    private final long cacheKiB;

    private SqliteEngine(String url, long cacheBytes, List<String> pragmas) throws Exception {
        this.url = url;
        this.inMemory = url.endsWith(":memory:");
        this.cacheKiB = cacheBytes >> 10;
        SQLiteConfig config = new SQLiteConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        writer = DriverManager.getConnection(url, config.toProperties());
        try (Statement statement = writer.createStatement()) {
            for (String pragma : pragmas) {
                statement.execute("PRAGMA " + pragma);
            }
            statement.execute("CREATE TABLE IF NOT EXISTS kv (k BLOB NOT NULL PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
        }
        writes = new Statements(writer);
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

    private Statements openReader() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        readers.add(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA cache_size = -" + cacheKiB);
        }
        return new Statements(connection);
    }

    /** A query on one connection's statements, which no other thread uses meanwhile. */
    private interface Read<T> {
        T run(Statements statements) throws Exception;
    }

    /**
     * Runs {@code read} on the writer's connection under its monitor (in memory), or on an idle reader connection
     * (a file database; a new one when all are busy), which goes back to the idle ones after.
     */
    private <T> T read(Read<T> read) throws Exception {
        if (inMemory) {
            synchronized (writes) {
                return read.run(writes);
            }
        }
        Statements statements = idleReaders.poll();
        if (statements == null) {
            statements = openReader();
        }
        try {
            return read.run(statements);
        } finally {
            idleReaders.offer(statements);
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
        return read(statements -> statements.get(key));
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
        read(statements -> {
            try (Statements.Cursor cursor = statements.new Cursor()) {
                OrderedCursor.list(cursor, prefix, limit, sink);
            }
            return null;
        });
    }

    @Override
    public void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        read(statements -> {
            try (Statements.Cursor cursor = statements.new Cursor()) {
                OrderedCursor.listDir(cursor, prefix, delimiter, limit, sink);
            }
            return null;
        });
    }

    /** How many reader connections the engine has opened (a file database; in memory the writer reads). */
    int readerConnections() {
        return readers.size();
    }

    /** page_count × page_size of the database (in memory: all of it; for a file: its size, not what is cached). */
    @Override
    public long reportedMemoryBytes() throws Exception {
        if (!inMemory) {
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

    /** One connection's prepared statements; used by one thread at a time. */
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
