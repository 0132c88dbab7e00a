package io.cairn.tree.wal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rule for tree names, one place for the API's checks and the log's: 1 to {@value #MAX_BYTES} bytes of UTF-8
 * (well formed: no unpaired surrogate), no NUL character.
 */
public final class TreeNames {
    private TreeNames() {}

    /** Longest name in UTF-8 bytes. */
    public static final int MAX_BYTES = 255;

    /**
     * The UTF-8 bytes of a valid name.
     *
     * @throws IllegalArgumentException naming the name if it breaks the rule
     */
    public static byte[] encode(String name) {
        if (name == null) {
            throw new IllegalArgumentException("tree name must not be null");
        }
        byte[] bytes;
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(name));
            bytes = new byte[b.remaining()];
            b.get(bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("tree name " + quote(name) + " is not valid Unicode (an unpaired"
                    + " surrogate)");
        }
        String problem = problem(bytes);
        if (problem != null) {
            throw new IllegalArgumentException("tree name " + quote(name) + " " + problem);
        }
        return bytes;
    }

    /** The name these bytes hold, or null if they break the rule (a damaged record or manifest). */
    public static String decode(byte[] bytes) {
        if (problem(bytes) != null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String problem(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            return "must be 1 to " + MAX_BYTES + " bytes of UTF-8, got " + bytes.length;
        }
        for (byte b : bytes) {
            if (b == 0) {
                return "must not contain NUL";
            }
        }
        return null;
    }

    /** The name for a message: quoted, with control characters escaped. */
    public static String quote(String name) {
        StringBuilder out = new StringBuilder("'");
        name.codePoints().limit(300).forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(name.codePointCount(0, name.length()) > 300 ? "...'" : "'").toString();
    }
}
