package io.cairn.tree;

import io.cairn.tree.engine.Engine;

/** Argument checks shared by every entry point: null, and the key and value length limits. */
final class Keys {
    private Keys() {}

    static byte[] key(byte[] key) {
        return checked("key", key);
    }

    static byte[] checked(String name, byte[] key) {
        notNull(name, key);
        if (key.length > Engine.MAX_KEY) {
            throw new IllegalArgumentException(name + " length " + key.length + " exceeds the maximum of "
                    + Engine.MAX_KEY + " bytes");
        }
        return key;
    }

    static byte[] value(byte[] value) {
        notNull("value", value);
        if (value.length > Engine.MAX_VALUE) {
            throw new IllegalArgumentException("value length " + value.length + " exceeds the maximum of "
                    + Engine.MAX_VALUE + " bytes");
        }
        return value;
    }

    private static void notNull(String name, Object argument) {
        if (argument == null) {
            throw new NullPointerException(name + " must not be null");
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
