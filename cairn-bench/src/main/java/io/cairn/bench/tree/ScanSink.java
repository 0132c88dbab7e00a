package io.cairn.bench.tree;

/** Receives the entries of a listing, in unsigned key order. */
interface ScanSink {

    void key(byte[] key, byte[] value);

    /** A rolled-up common prefix, including the delimiter. */
    void commonPrefix(byte[] prefix);
}
