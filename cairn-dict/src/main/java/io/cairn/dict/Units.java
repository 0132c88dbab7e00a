package io.cairn.dict;

import java.nio.charset.StandardCharsets;

/** Conversions between terms ({@code String}) and the unit sequences of an {@link Alphabet}. */
final class Units {
    private Units() {}

    /**
     * The units of {@code term}: its UTF-8 bytes (0..255) or its code points.
     *
     * @throws IllegalArgumentException if the term holds an unpaired surrogate, which UTF-8 cannot encode
     */
    static int[] of(String term, Alphabet alphabet) {
        if (alphabet == Alphabet.CODE_POINTS) {
            return term.codePoints().toArray();
        }
        byte[] bytes = utf8(term);
        if (bytes == null) {
            throw new IllegalArgumentException("term holds an unpaired surrogate, not encodable as UTF-8: " + term);
        }
        int[] units = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            units[i] = bytes[i] & 0xFF;
        }
        return units;
    }

    /**
     * The UTF-8 bytes of {@code term}, or null if it holds an unpaired surrogate (which {@link String#getBytes}
     * would silently replace with '?', turning an impossible term into a real one).
     */
    static byte[] utf8(String term) {
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < term.length()
                        && Character.isLowSurrogate(term.charAt(i + 1))) {
                    i++;
                } else {
                    return null;
                }
            }
        }
        return term.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes well-formed UTF-8 (as {@link #utf8} encodes it) into code points; returns how many were written to
     * {@code into}, which must hold at least {@code bytes.length}.
     */
    static int decodeUtf8(byte[] bytes, int[] into) {
        int count = 0;
        for (int i = 0; i < bytes.length; ) {
            int b = bytes[i++] & 0xFF;
            int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
            int c = extra == 0 ? b : b & (0x3F >>> extra);
            for (int k = 0; k < extra; k++) {
                c = c << 6 | bytes[i++] & 0x3F;
            }
            into[count++] = c;
        }
        return count;
    }

    /** The term spelled by the first {@code length} units. */
    static String term(int[] units, int length, Alphabet alphabet) {
        if (alphabet == Alphabet.CODE_POINTS) {
            return new String(units, 0, length);
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) units[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The largest unit the alphabet allows. */
    static int maxUnit(Alphabet alphabet) {
        return alphabet == Alphabet.CODE_POINTS ? Character.MAX_CODE_POINT : 0xFF;
    }
}
