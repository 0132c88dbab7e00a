package io.cairn.bench.tree;

/**
 * The measured operations (holt.md §5). Each call is one op in the ns/op figures: create+delete and the rename round
 * trip count as one op although they are two writes (peers: a rename is get+put+delete, so a round trip is six calls).
 */
enum Operation {
    GET("get") {
        @Override
        void run(Engine engine, Worker worker) throws Exception {
            worker.consume(engine.get(worker.stableKey()));
        }
    },
    PUT("put") {
        @Override
        void run(Engine engine, Worker worker) throws Exception {
            engine.put(worker.stableKey(), worker.value());
        }
    },
    /** 50% get, 50% put of random keys. */
    MIXED("mixed") {
        @Override
        void run(Engine engine, Worker worker) throws Exception {
            (worker.percent() < 50 ? GET : PUT).run(engine, worker);
        }
    },
    /** The first 100 records of one bucket or directory. */
    LIST("list") {
        @Override
        void run(Engine engine, Worker worker) throws Exception {
            engine.list(worker.listPrefix(), 100, worker);
        }
    },
    /** The first 8 entries of the parent prefix with delimiter '/'. */
    LIST_DIR("list_dir") {
        @Override
        void run(Engine engine, Worker worker) throws Exception {
            engine.listDir(worker.listDirPrefix(), (byte) '/', 8, worker);
        }
    },
    CREATE_DELETE("create_delete") {
        @Override
        void run(Engine engine, Worker worker) throws Exception {
            byte[] key = worker.freshKey();
            engine.put(key, worker.value());
            engine.delete(key);
        }
    },
    RENAME("rename") {
        @Override
        void run(Engine engine, Worker worker) throws Exception {
            int pair = worker.renamePair();
            engine.rename(worker.renameSource(pair), worker.renameTarget(pair));
            engine.rename(worker.renameTarget(pair), worker.renameSource(pair));
        }
    },
    /** 45% get, 20% put, 10% list, 10% list_dir, 10% create+delete, 5% rename round trip. */
    METADATA_MIX("metadata_mix") {
        @Override
        void run(Engine engine, Worker worker) throws Exception {
            int p = worker.percent();
            Operation op = p < 45 ? GET : p < 65 ? PUT : p < 75 ? LIST : p < 85 ? LIST_DIR : p < 95 ? CREATE_DELETE : RENAME;
            op.run(engine, worker);
        }
    };

    final String label;

    Operation(String label) {
        this.label = label;
    }

    abstract void run(Engine engine, Worker worker) throws Exception;

    static Operation byLabel(String label) {
        for (Operation op : values()) {
            if (op.label.equals(label)) {
                return op;
            }
        }
        throw new IllegalArgumentException("operation: unknown '" + label + "'");
    }
}
