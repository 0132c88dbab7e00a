package io.cairn.dict;

import java.io.IOException;

/** Where an image payload is written: an image file being streamed ({@link ImageOutput}), or memory ({@link ImageWriter}). */
interface PayloadOut {
    void writeInt(int value) throws IOException;

    void writeLong(long value) throws IOException;

    void writeVarint(long value) throws IOException;

    void write(byte[] bytes, int offset, int length) throws IOException;
}
