package io.cairn.dict;

/**
 * Which terms a lazy combination of two dictionaries holds, decided node by node: which product nodes exist
 * (whether a path may continue) and which are final. Each is a truth table over (in the first operand, in the
 * second), bit {@code (inFirst ? 2 : 0) | (inSecond ? 1 : 0)}.
 */
enum SetOperation {
    UNION(0b1110, 0b1110),
    INTERSECTION(0b1000, 0b1000),
    DIFFERENCE(0b1100, 0b0100),
    SYMMETRIC_DIFFERENCE(0b1110, 0b0110),
    /** Terms of both whose values differ; {@link ProductDictionary} compares the values. */
    VALUE_DIFF(0b1000, 0b1000);

    private final int continues;
    private final int holds;

    SetOperation(int continues, int holds) {
        this.continues = continues;
        this.holds = holds;
    }

    private static int bit(boolean inFirst, boolean inSecond) {
        return 1 << ((inFirst ? 2 : 0) | (inSecond ? 1 : 0));
    }

    /** Whether a path that the first (second) dictionary has (or not) may lead to terms of the result. */
    boolean continues(boolean inFirst, boolean inSecond) {
        return (continues & bit(inFirst, inSecond)) != 0;
    }

    /** Whether a term the first (second) dictionary holds (or not) is in the result. */
    boolean holds(boolean inFirst, boolean inSecond) {
        return (holds & bit(inFirst, inSecond)) != 0;
    }
}
