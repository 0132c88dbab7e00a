package io.cairn.tree.wal;

/** One record read back from the log: its sequence and what it says happened. */
public record LogEntry(long sequence, Redo redo) {
}
