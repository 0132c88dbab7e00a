package io.cairn.dict;

/**
 * Which terms a lazy combination of two dictionaries holds, decided node by node: which product nodes exist
 * (whether a path may continue) and which are final.
 */
enum SetOperation {
    UNION {
        @Override
        boolean continues(boolean inFirst, boolean inSecond) {
            return inFirst || inSecond;
        }

        @Override
        boolean holds(boolean inFirst, boolean inSecond) {
            return inFirst || inSecond;
        }
    },
    INTERSECTION {
        @Override
        boolean continues(boolean inFirst, boolean inSecond) {
            return inFirst && inSecond;
        }

        @Override
        boolean holds(boolean inFirst, boolean inSecond) {
            return inFirst && inSecond;
        }
    },
    DIFFERENCE {
        @Override
        boolean continues(boolean inFirst, boolean inSecond) {
            return inFirst;
        }

        @Override
        boolean holds(boolean inFirst, boolean inSecond) {
            return inFirst && !inSecond;
        }
    },
    SYMMETRIC_DIFFERENCE {
        @Override
        boolean continues(boolean inFirst, boolean inSecond) {
            return inFirst || inSecond;
        }

        @Override
        boolean holds(boolean inFirst, boolean inSecond) {
            return inFirst != inSecond;
        }
    },
    /** Terms of both whose values differ; {@link ProductDictionary} compares the values. */
    VALUE_DIFF {
        @Override
        boolean continues(boolean inFirst, boolean inSecond) {
            return inFirst && inSecond;
        }

        @Override
        boolean holds(boolean inFirst, boolean inSecond) {
            return inFirst && inSecond;
        }
    };

    /** Whether a path that the first (second) dictionary has (or not) may lead to terms of the result. */
    abstract boolean continues(boolean inFirst, boolean inSecond);

    /** Whether a term the first (second) dictionary holds (or not) is in the result. */
    abstract boolean holds(boolean inFirst, boolean inSecond);
}
