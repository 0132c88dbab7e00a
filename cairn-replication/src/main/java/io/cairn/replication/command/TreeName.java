package io.cairn.replication.command;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;

/** The tree naming rule (1 to 255 bytes of UTF-8, no NUL), checked where a name enters the replication layer. */
public final class TreeName {
    private TreeName() {}

    /**
     * The name's UTF-8 bytes.
     *
     * @throws IllegalArgumentException if it breaks the rule (the message quotes it)
     */
    public static byte[] encode(String name) {
        if (name == null) {
            throw new NullPointerException("tree name must not be null");
        }
        byte[] b;
        try {
            ByteBuffer buf = UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(name));
            b = new byte[buf.remaining()];
            buf.get(b);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("tree name \"" + name + "\" is not valid Unicode (a lone surrogate)");
        }
        if (b.length == 0 || b.length > CommandFormat.MAX_NAME) {
            throw new IllegalArgumentException("tree name \"" + name + "\" is " + b.length
                    + " bytes of UTF-8; a name has 1 to " + CommandFormat.MAX_NAME);
        }
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("tree name \"" + name.replace("\0", "\\0")
                        + "\" contains NUL, which names may not");
            }
        }
        return b;
    }

    /** The name these bytes spell, or null if they are not valid UTF-8. */
    static String decode(byte[] b) {
        try {
            return UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
