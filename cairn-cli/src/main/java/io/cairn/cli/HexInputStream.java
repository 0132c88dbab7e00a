package io.cairn.cli;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * Decodes a stream of hexadecimal digits (whitespace between them ignored) into bytes as it is read, so hex on
 * standard input streams like raw bytes do. Anything else, or an odd number of digits, fails the read.
 */
final class HexInputStream extends InputStream {
    private final InputStream in;
    private long digits;

    HexInputStream(InputStream in) {
        this.in = new BufferedInputStream(in);
    }

    @Override
    public int read() throws IOException {
        int high = nextDigit();
        if (high < 0) {
            return -1;
        }
        int low = nextDigit();
        if (low < 0) {
            throw new CharConversionException("standard input is not hexadecimal: an odd number of digits ("
                    + digits + ")");
        }
        return high << 4 | low;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int n = 0;
        while (n < len) {
            int value = read();
            if (value < 0) {
                break;
            }
            b[off + n++] = (byte) value;
        }
        return n == 0 && len > 0 ? -1 : n;
    }

    /** The next digit's value, or -1 at the end of the stream. */
    private int nextDigit() throws IOException {
        int c;
        do {
            c = in.read();
        } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
        if (c < 0) {
            return -1;
        }
        int value = Character.digit(c, 16);
        if (value < 0) {
            throw new CharConversionException("standard input is not hexadecimal: byte 0x" + Integer.toHexString(c)
                    + " after " + digits + " digits");
        }
        digits++;
        return value;
    }
}
