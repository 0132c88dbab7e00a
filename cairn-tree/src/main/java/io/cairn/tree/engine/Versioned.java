package io.cairn.tree.engine;

/** A value and its version, as a latched read or a batch's overlay holds them. */
record Versioned(byte[] value, long version) {}
