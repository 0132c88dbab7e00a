package io.cairn.dict;

/**
 * Which unit sequences spell a {@code String}, as a small automaton run along every path of a loaded image, so a
 * well-checksummed but impossible image (bytes that are not UTF-8, a surrogate pair split into two code points)
 * is refused instead of yielding terms that no lookup can find.
 *
 * <p>States for UTF-8 (RFC 3629 well-formed sequences, no overlongs or surrogates): {@link #START} expects a lead
 * byte; 1..3 expect that many continuation bytes 80..BF; the lead bytes E0, ED, F0 and F4 restrict the next byte
 * (A0..BF, 80..9F, 90..BF, 80..8F) through states 4..7. For code points: {@link #START}, or 1 right after a high
 * surrogate (where a low surrogate would merge with it into one character).
 */
final class UnitPaths {
    private UnitPaths() {}

    static final int START = 0;
    static final int INVALID = -1;

    /** The state after {@code unit}, or {@link #INVALID}. */
    static int next(Alphabet alphabet, int state, long unit) {
        if (alphabet == Alphabet.CODE_POINTS) {
            if (state == 1 && unit >= Character.MIN_LOW_SURROGATE && unit <= Character.MAX_LOW_SURROGATE) {
                return INVALID;
            }
            return unit >= Character.MIN_HIGH_SURROGATE && unit <= Character.MAX_HIGH_SURROGATE ? 1 : START;
        }
        int b = (int) unit;
        return switch (state) {
            case START -> {
                if (b < 0x80) {
                    yield START;
                } else if (b >= 0xC2 && b <= 0xDF) {
                    yield 1;
                } else if (b == 0xE0) {
                    yield 4;
                } else if (b == 0xED) {
                    yield 5;
                } else if (b >= 0xE1 && b <= 0xEF) {
                    yield 2;
                } else if (b == 0xF0) {
                    yield 6;
                } else if (b >= 0xF1 && b <= 0xF3) {
                    yield 3;
                } else if (b == 0xF4) {
                    yield 7;
                }
                yield INVALID;
            }
            case 1, 2, 3 -> b >= 0x80 && b <= 0xBF ? state - 1 : INVALID;
            case 4 -> b >= 0xA0 && b <= 0xBF ? 1 : INVALID;
            case 5 -> b >= 0x80 && b <= 0x9F ? 1 : INVALID;
            case 6 -> b >= 0x90 && b <= 0xBF ? 2 : INVALID;
            case 7 -> b >= 0x80 && b <= 0x8F ? 2 : INVALID;
            default -> INVALID;
        };
    }

    /** Whether a term may end in {@code state} (not inside a UTF-8 sequence). */
    static boolean canEnd(Alphabet alphabet, int state) {
        return alphabet == Alphabet.CODE_POINTS || state == START;
    }
}
