package io.cairn.tree.storage;

import io.cairn.tree.engine.Engine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The trees of a store: names, ids and engines. Guarded by one lock, which every catalog change (create, drop) and
 * every capture that needs the set of trees to hold still (a checkpoint, a database snapshot, an image) takes
 * before it closes any writer gate, so the gates are always closed in one order (catalog lock, then gates by
 * tree id) and no two of them can deadlock. Reads of the maps also take the lock; it is never held across I/O
 * other than appending one log record.
 */
final class TreeCatalog {
    /** Held for changes and for captures of the whole set; reentrant, so a capture may look names up. */
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Integer, Engine> engines = new TreeMap<>();
    private final TreeMap<Integer, String> names = new TreeMap<>();
    private final Map<String, Integer> ids = new HashMap<>();
    /** One more than the highest id ever held in this session: a new tree's id. */
    private int nextId;

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** The id of the tree named {@code name}, or -1. */
    int id(String name) {
        lock.lock();
        try {
            Integer id = ids.get(name);
            return id == null ? -1 : id;
        } finally {
            lock.unlock();
        }
    }

    /** The tree with this id, or null. */
    Engine engine(int id) {
        lock.lock();
        try {
            return engines.get(id);
        } finally {
            lock.unlock();
        }
    }

    /** The name of tree {@code id}, or null. */
    String name(int id) {
        lock.lock();
        try {
            return names.get(id);
        } finally {
            lock.unlock();
        }
    }

    /** The names, sorted. */
    List<String> names() {
        lock.lock();
        try {
            List<String> out = new ArrayList<>(ids.keySet());
            out.sort(null);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The trees by id, in id order (a copy). */
    TreeMap<Integer, Engine> engines() {
        lock.lock();
        try {
            return new TreeMap<>(engines);
        } finally {
            lock.unlock();
        }
    }

    /** The names by id, in id order (a copy). */
    TreeMap<Integer, String> namesById() {
        lock.lock();
        try {
            return new TreeMap<>(names);
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return engines.size();
        } finally {
            lock.unlock();
        }
    }

    /** The id a new tree gets. */
    int nextId() {
        lock.lock();
        try {
            return nextId;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a tree; the caller holds the lock and checked that neither id nor name is taken. */
    void add(int id, String name, Engine engine) {
        engines.put(id, engine);
        names.put(id, name);
        ids.put(name, id);
        nextId = Math.max(nextId, id + 1);
    }

    /** Removes tree {@code id} and returns it, or null; the caller holds the lock. */
    Engine remove(int id) {
        Engine engine = engines.remove(id);
        if (engine != null) {
            ids.remove(names.remove(id));
        }
        return engine;
    }
}
