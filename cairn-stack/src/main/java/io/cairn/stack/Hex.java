package io.cairn.stack;

/** Renders bytes for error messages: printable ASCII as is, the rest as {@code \xNN}. */
final class Hex {
    private Hex() {}

    static String escaped(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02X", b));
            }
        }
        return sb.toString();
    }
}
