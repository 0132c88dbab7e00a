package io.cairn.tree.engine;

/** How a batch or rename ended; the API turns the failures into its return values and exceptions. */
public enum Outcome {
    APPLIED,
    /** A guard or a conditional operation's condition did not hold; nothing changed. */
    CONDITION_FAILED,
    /** A rename's source is absent; nothing changed. */
    SOURCE_MISSING,
    /** A rename's target exists and overwrite is false; nothing changed. */
    TARGET_EXISTS
}
