package io.cairn.stack;

/** {@link BStackContract} on a 0.1/0.2 file (16-byte header, no journal). */
class BStackV02Test extends BStackContract {
    @Override
    StackFormat format() {
        return StackFormat.V0_2;
    }

    @Override
    byte[] emptyFile() {
        return new byte[] {'B', 'S', 'T', 'K', 0, 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    }
}
