package io.cairn.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Reads a {@link BStack} sequentially from an offset; each read sees the length at that moment. */
final class BStackInputStream extends InputStream {
    private final BStack stack;
    private long position;

    BStackInputStream(BStack stack, long position) {
        this.stack = stack;
        this.position = position;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n = stack.readAvailable(position, ByteBuffer.wrap(b, off, len));
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        long skipped = Math.max(0, Math.min(n, stack.length() - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, stack.length() - position));
    }
}
