package io.cairn.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Each {@code write} is one durable {@link BStack#push}. */
final class BStackOutputStream extends OutputStream {
    private final BStack stack;

    BStackOutputStream(BStack stack) {
        this.stack = stack;
    }

    @Override
    public void write(int b) throws IOException {
        stack.push(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0) {
            stack.push(ByteBuffer.wrap(b, off, len));
        }
    }
}
