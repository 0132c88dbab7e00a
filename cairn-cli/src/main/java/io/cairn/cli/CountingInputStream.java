package io.cairn.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a stream through and moves a {@link Progress} bar by the bytes read. */
final class CountingInputStream extends FilterInputStream {
    private final Progress progress;

    CountingInputStream(InputStream in, Progress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            progress.stepBy(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            progress.stepBy(n);
        }
        return n;
    }
}
