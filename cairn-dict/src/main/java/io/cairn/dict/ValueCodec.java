package io.cairn.dict;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns the values of a mapped dictionary into bytes for its image and back. Images store each value as a
 * length-prefixed byte string, so any Java type can be saved once it has a codec; {@link #strings()},
 * {@link #longs()} and {@link #bytes()} cover the common cases.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

    /** The bytes of {@code value} (never null). */
    byte[] encode(V value);

    /**
     * The value {@code bytes} encode.
     *
     * @throws IllegalArgumentException if the bytes cannot be a value of this codec; loading turns that into a
     *     {@link io.cairn.stack.CorruptedStoreException}
     */
    V decode(byte[] bytes);

    /** Strings as strict UTF-8 (malformed bytes are rejected, never replaced). */
    static ValueCodec<String> strings() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException("value is not valid UTF-8: " + e.getMessage(), e);
                }
            }
        };
    }

    /** Longs as 8 little-endian bytes. */
    static ValueCodec<Long> longs() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(Long value) {
                return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
            }

            @Override
            public Long decode(byte[] bytes) {
                if (bytes.length != Long.BYTES) {
                    throw new IllegalArgumentException("a long value needs 8 bytes, found " + bytes.length);
                }
                return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            }
        };
    }

    /** Byte arrays as themselves (copied both ways, so callers cannot change stored values). */
    static ValueCodec<byte[]> bytes() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return Objects.requireNonNull(value, "value").clone();
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return Arrays.copyOf(bytes, bytes.length);
            }
        };
    }
}
