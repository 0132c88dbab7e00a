package io.cairn.bench.tree;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite {@code :memory:} with one {@code WITHOUT ROWID} table (BLOB keys compare with memcmp, i.e. unsigned byte
 * order) and prepared statements. An in-memory database belongs to one connection, and a JDBC connection must not be
 * used by two threads at once, so every call holds this engine's monitor: with 4 threads the SQLite rows measure
 * one connection shared under a lock.
 */
final class SqliteEngine implements Engine {
    private final Connection connection;
    private final PreparedStatement select;
    private final PreparedStatement upsert;
    private final PreparedStatement remove;
    private final PreparedStatement range;

    SqliteEngine() throws Exception {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA synchronous = OFF");
            statement.execute("CREATE TABLE kv (k BLOB NOT NULL PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
        }
        select = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
        upsert = connection.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
        remove = connection.prepareStatement("DELETE FROM kv WHERE k = ?");
        range = connection.prepareStatement("SELECT k, v FROM kv WHERE k >= ? ORDER BY k");
    }

    /** One transaction for the whole load. */
    @Override
    public synchronized void load(byte[][] keys, byte[][] values) throws Exception {
        connection.setAutoCommit(false);
        for (int i = 0; i < keys.length; i++) {
            put(keys[i], values[i]);
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    @Override
    public synchronized byte[] get(byte[] key) throws Exception {
        select.setBytes(1, key);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? row.getBytes(1) : null;
        }
    }

    @Override
    public synchronized void put(byte[] key, byte[] value) throws Exception {
        upsert.setBytes(1, key);
        upsert.setBytes(2, value);
        upsert.executeUpdate();
    }

    @Override
    public synchronized void delete(byte[] key) throws Exception {
        remove.setBytes(1, key);
        remove.executeUpdate();
    }

    @Override
    public synchronized void rename(byte[] source, byte[] target) throws Exception {
        put(target, get(source));
        delete(source);
    }

    @Override
    public synchronized void list(byte[] prefix, int limit, ScanSink sink) throws Exception {
        try (Cursor cursor = new Cursor()) {
            OrderedCursor.list(cursor, prefix, limit, sink);
        }
    }

    @Override
    public synchronized void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        try (Cursor cursor = new Cursor()) {
            OrderedCursor.listDir(cursor, prefix, delimiter, limit, sink);
        }
    }

    /** page_count × page_size of the in-memory database. */
    @Override
    public synchronized long reportedMemoryBytes() throws Exception {
        return pragma("page_count") * pragma("page_size");
    }

    private long pragma(String name) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("closing the SQLite connection failed", e);
        }
    }

    /** A seek runs the range query from the new lower bound; SQLite steps the index lazily as rows are read. */
    private final class Cursor implements OrderedCursor, AutoCloseable {
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
