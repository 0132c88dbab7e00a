package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of reference §1 (and the 0.4 additions) with its edge cases, run on each format
 * ({@link BStackV02Test}, {@link BStackV04Test}); each rejected call must leave the stack unchanged.
 */
abstract class BStackContract {
    @TempDir
    Path dir;
    Path path;
    BStack stack;

    /** The format under test. */
    abstract StackFormat format();

    /** Options that create a file of the format under test. */
    BStackOptions options() {
        return BStackOptions.defaults().withFormat(format());
    }

    /** The header size of the format under test. */
    int header() {
        return format().headerSize();
    }

    @BeforeEach
    void open() throws IOException {
        path = dir.resolve("s.bstack");
        stack = BStack.open(path, options());
    }

    @AfterEach
    void close() throws IOException {
        stack.close();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] content() throws IOException {
        return stack.get(0, stack.length());
    }

    /** Runs {@code call}, expects {@code type}, and checks that the payload did not change. */
    private void rejectedWithoutChange(Class<? extends Throwable> type, Executable call) throws IOException {
        byte[] before = content();
        long fileSize = Files.size(path);
        assertThrows(type, call);
        assertArrayEquals(before, content());
        assertEquals(fileSize, Files.size(path));
    }

    // ---------------------------------------------------------------- format

    /** The header of a new, empty file of the format under test, as the reference writes it. */
    abstract byte[] emptyFile();

    @Test
    void newFileHasTheReferenceHeaderAndEmptyPayload() throws IOException {
        assertTrue(stack.isEmpty());
        assertEquals(format(), stack.format());
        assertArrayEquals(emptyFile(), Files.readAllBytes(path));
    }

    @Test
    void offsetsAreLogicalAndClenIsLittleEndian() throws IOException {
        assertEquals(0, stack.push(ascii("hello")));
        assertEquals(5, stack.push(ascii(" world")));
        byte[] file = Files.readAllBytes(path);
        assertEquals(header() + 11, file.length);
        assertEquals(11, ByteBuffer.wrap(file, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals("hello world", new String(file, header(), 11, StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------- push / extend

    @Test
    void pushReturnsTheOldLength() throws IOException {
        assertEquals(0, stack.push(ascii("ab")));
        assertEquals(2, stack.push(ascii("cde")));
        assertEquals(5, stack.length());
        assertArrayEquals(ascii("abcde"), content());
    }

    @Test
    void pushOfEmptyDataDoesNoIoAndReturnsTheLength() throws IOException {
        stack.push(ascii("abc"));
        FaultyStorageIo io = new FaultyStorageIo();
        stack.close();
        stack = BStack.open(path, options().withIo(io));
        long writes = io.writes();
        assertEquals(3, stack.push(new byte[0]));
        assertEquals(3, stack.push(ByteBuffer.allocate(0)));
        assertEquals(writes, io.writes());
        assertEquals(0, io.forces());
    }

    @Test
    void pushOfAByteBufferUsesItsRemainingBytesWithoutMovingIt() throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(ascii("xxabcxx")).position(2).limit(5);
        assertEquals(0, stack.push(buf));
        assertEquals(2, buf.position());
        assertArrayEquals(ascii("abc"), content());
    }

    @Test
    void extendAppendsZeros() throws IOException {
        stack.push(ascii("a"));
        assertEquals(1, stack.extend(4));
        assertArrayEquals(new byte[] {'a', 0, 0, 0, 0}, content());
        assertEquals(5, stack.extend(0));
        assertEquals(5, stack.length());
        assertEquals(header() + 5, Files.size(path));
    }

    @Test
    void extendByANegativeCountIsRejected() throws IOException {
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.extend(-1));
    }

    @Test
    void extendBeyondTheLargestLengthIsRejected() throws IOException {
        stack.push(ascii("a"));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.extend(Long.MAX_VALUE));
    }

    @Test
    void pushAllAppendsContiguouslyAndReturnsEachOffset() throws IOException {
        stack.push(ascii("x"));
        long[] offsets = stack.pushAll(List.of(ascii("ab"), new byte[0], ascii("cde")));
        assertArrayEquals(new long[] {1, 3, 3}, offsets);
        assertArrayEquals(ascii("xabcde"), content());
        assertArrayEquals(new long[0], stack.pushAll(List.of()));
    }

    @Test
    void pushAllWithANullRecordIsRejected() throws IOException {
        List<byte[]> records = new ArrayList<>();
        records.add(ascii("a"));
        records.add(null);
        rejectedWithoutChange(NullPointerException.class, () -> stack.pushAll(records));
    }

    @Test
    void pushAllForcesOnce() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        stack.close();
        stack = BStack.open(path, options().withIo(io));
        long forces = io.forces();
        stack.pushAll(List.of(ascii("a"), ascii("b"), ascii("c")));
        assertEquals(forces + 1, io.forces());
    }

    // ---------------------------------------------------------------- pop / discard

    @Test
    void popReturnsTheTail() throws IOException {
        stack.push(ascii("abcdef"));
        assertArrayEquals(ascii("def"), stack.pop(3));
        assertArrayEquals(ascii("abc"), content());
        assertEquals(header() + 3, Files.size(path));
    }

    @Test
    void popOfZeroReturnsEmpty() throws IOException {
        stack.push(ascii("abc"));
        assertArrayEquals(new byte[0], stack.pop(0));
        assertEquals(3, stack.length());
    }

    @Test
    void popMoreThanLengthIsRejected() throws IOException {
        stack.push(ascii("abc"));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.pop(4));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.pop(-1));
    }

    @Test
    void popOfEverythingEmptiesTheStack() throws IOException {
        stack.push(ascii("abc"));
        assertArrayEquals(ascii("abc"), stack.pop(3));
        assertTrue(stack.isEmpty());
        assertEquals(header(), Files.size(path));
    }

    @Test
    void popIntoFillsTheBufferWithTheTail() throws IOException {
        stack.push(ascii("abcdef"));
        byte[] buf = new byte[2];
        stack.popInto(buf);
        assertArrayEquals(ascii("ef"), buf);
        assertArrayEquals(ascii("abcd"), content());
    }

    @Test
    void popIntoAnEmptyBufferIsANoOp() throws IOException {
        stack.push(ascii("ab"));
        stack.popInto(new byte[0]);
        assertEquals(2, stack.length());
    }

    @Test
    void popIntoABufferLongerThanTheStackIsRejected() throws IOException {
        stack.push(ascii("ab"));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.popInto(new byte[3]));
    }

    @Test
    void discardDropsTheTail() throws IOException {
        stack.push(ascii("abcdef"));
        stack.discard(4);
        assertArrayEquals(ascii("ab"), content());
        stack.discard(0);
        assertEquals(2, stack.length());
    }

    @Test
    void discardMoreThanLengthIsRejected() throws IOException {
        stack.push(ascii("ab"));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.discard(3));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.discard(-1));
    }

    // ---------------------------------------------------------------- reads

    @Test
    void peekReturnsFromOffsetToTheEnd() throws IOException {
        stack.push(ascii("abcdef"));
        assertArrayEquals(ascii("cdef"), stack.peek(2));
        assertArrayEquals(new byte[0], stack.peek(6));
    }

    @Test
    void peekPastTheEndIsRejected() throws IOException {
        stack.push(ascii("abc"));
        assertThrows(IndexOutOfBoundsException.class, () -> stack.peek(4));
        assertThrows(IndexOutOfBoundsException.class, () -> stack.peek(-1));
    }

    @Test
    void getReturnsTheRange() throws IOException {
        stack.push(ascii("abcdef"));
        assertArrayEquals(ascii("bcd"), stack.get(1, 4));
        assertArrayEquals(new byte[0], stack.get(3, 3));
        assertArrayEquals(new byte[0], stack.get(6, 6));
    }

    @Test
    void getOfAReversedOrOverlongRangeIsRejected() throws IOException {
        stack.push(ascii("abcdef"));
        assertThrows(IndexOutOfBoundsException.class, () -> stack.get(4, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> stack.get(0, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> stack.get(-1, 2));
    }

    @Test
    void peekIntoAndGetIntoFillTheBuffer() throws IOException {
        stack.push(ascii("abcdef"));
        byte[] buf = new byte[3];
        stack.peekInto(2, buf);
        assertArrayEquals(ascii("cde"), buf);
        stack.getInto(3, buf);
        assertArrayEquals(ascii("def"), buf);
        ByteBuffer dst = ByteBuffer.allocate(4).position(1);
        stack.getInto(0, dst);
        assertEquals(4, dst.position());
        assertArrayEquals(new byte[] {0, 'a', 'b', 'c'}, dst.array());
    }

    @Test
    void getIntoAnEmptyBufferIsANoOpEvenOutOfRange() throws IOException {
        stack.push(ascii("ab"));
        stack.getInto(100, new byte[0]);
        stack.peekInto(-5, new byte[0]);
        stack.getInto(100, ByteBuffer.allocate(0));
    }

    @Test
    void getIntoPastTheEndIsRejected() throws IOException {
        stack.push(ascii("abc"));
        assertThrows(IndexOutOfBoundsException.class, () -> stack.getInto(1, new byte[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> stack.peekInto(Long.MAX_VALUE, new byte[1]));
        assertThrows(IndexOutOfBoundsException.class, () -> stack.getInto(-1, new byte[1]));
    }

    // ---------------------------------------------------------------- in-place writes

    @Test
    void setOverwritesInPlaceWithoutChangingTheLength() throws IOException {
        stack.push(ascii("abcdef"));
        stack.set(2, ascii("XY"));
        assertArrayEquals(ascii("abXYef"), content());
        stack.set(4, ascii("ZW"));
        assertArrayEquals(ascii("abXYZW"), content());
        assertEquals(header() + 6, Files.size(path));
    }

    @Test
    void setOfEmptyDataIsANoOpEvenOutOfRange() throws IOException {
        stack.push(ascii("ab"));
        stack.set(100, new byte[0]);
        assertArrayEquals(ascii("ab"), content());
    }

    @Test
    void setPastTheEndIsRejected() throws IOException {
        stack.push(ascii("abc"));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.set(2, ascii("XY")));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.set(-1, ascii("X")));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.set(Long.MAX_VALUE, ascii("X")));
    }

    @Test
    void zeroClearsARange() throws IOException {
        stack.push(ascii("abcdef"));
        stack.zero(1, 3);
        assertArrayEquals(new byte[] {'a', 0, 0, 0, 'e', 'f'}, content());
        stack.zero(6, 0);
        stack.zero(100, 0);
    }

    @Test
    void zeroPastTheEndIsRejected() throws IOException {
        stack.push(ascii("abc"));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.zero(1, 3));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.zero(0, -1));
    }

    @Test
    void setBatchedWritesEveryRangeAndIgnoresEmptyOnes() throws IOException {
        stack.push(new byte[600]);
        stack.setBatched(Map.of(590L, ascii("tail"), 3L, ascii("abc"), 250L, ascii("across"), 100L, new byte[0]));
        byte[] expected = new byte[600];
        System.arraycopy(ascii("abc"), 0, expected, 3, 3);
        System.arraycopy(ascii("across"), 0, expected, 250, 6);
        System.arraycopy(ascii("tail"), 0, expected, 590, 4);
        assertArrayEquals(expected, content());
        stack.setBatched(Map.of());
        stack.setBatched(Map.of(7L, ascii("one")));
        System.arraycopy(ascii("one"), 0, expected, 7, 3);
        assertArrayEquals(expected, content());
    }

    @Test
    void setBatchedRejectsOverlapsAndRangesPastTheEndBeforeWriting() throws IOException {
        stack.push(new byte[100]);
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.setBatched(Map.of(10L, new byte[5], 14L,
                new byte[2])));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.setBatched(Map.of(10L, new byte[5], 98L,
                new byte[3])));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.setBatched(Map.of(-1L, new byte[1])));
        Map<Long, byte[]> withNull = new java.util.HashMap<>();
        withNull.put(1L, null);
        rejectedWithoutChange(NullPointerException.class, () -> stack.setBatched(withNull));
    }

    @Test
    void copyMovesBytesLikeMemmoveInBothDirections() throws IOException {
        byte[] base = new byte[700];
        for (int i = 0; i < base.length; i++) {
            base[i] = (byte) i;
        }
        stack.push(base);
        byte[] model = base.clone();
        int[][] copies = {{0, 400, 100}, {100, 150, 300}, {150, 100, 300}, {10, 20, 5}, {5, 5, 50}, {9, 9, 0}};
        for (int[] c : copies) {
            stack.copy(c[0], c[1], c[2]);
            System.arraycopy(model, c[0], model, c[1], c[2]);
            assertArrayEquals(model, content(), "copy " + Arrays.toString(c));
        }
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.copy(650, 0, 51));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.copy(0, 650, 51));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.copy(0, 1, -1));
    }

    @Test
    void repeatFillsWithCopiesOfThePatternAndZeroIsRepeatOfZero() throws IOException {
        stack.push(new byte[600]);
        stack.repeat(10, ascii("ab"), 3);
        stack.repeat(200, ascii("xyz"), 100);
        byte[] expected = new byte[600];
        System.arraycopy(ascii("ababab"), 0, expected, 10, 6);
        for (int i = 0; i < 100; i++) {
            System.arraycopy(ascii("xyz"), 0, expected, 200 + 3 * i, 3);
        }
        assertArrayEquals(expected, content());
        stack.zero(201, 298);
        Arrays.fill(expected, 201, 499, (byte) 0);
        assertArrayEquals(expected, content());
        stack.repeat(0, new byte[0], 0);
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.repeat(0, new byte[0], 1));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.repeat(590, ascii("abc"), 4));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.repeat(0, ascii("ab"), Long.MAX_VALUE));
    }

    @Test
    void resizeGrowsWithZerosOrCutsAndEnsureOnlyGrows() throws IOException {
        stack.push(ascii("abcdef"));
        assertEquals(6, stack.resize(10));
        assertArrayEquals(ascii("abcdef\0\0\0\0"), content());
        assertEquals(10, stack.resize(3));
        assertArrayEquals(ascii("abc"), content());
        assertEquals(header() + 3, Files.size(path));
        assertEquals(3, stack.ensure(2));
        assertEquals(3, stack.length());
        assertEquals(3, stack.ensure(5));
        assertArrayEquals(ascii("abc\0\0"), content());
        assertEquals(5, stack.resize(5));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.resize(-1));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.ensure(Long.MAX_VALUE));
    }

    @Test
    void extendSparseGrowsOnceAndWritesOnlyTheGivenRanges() throws IOException {
        stack.push(ascii("ab"));
        assertEquals(2, stack.extendSparse(1000, Map.of(0L, ascii("head"), 996L, ascii("tail"), 500L, new byte[0])));
        byte[] expected = new byte[1002];
        System.arraycopy(ascii("ab"), 0, expected, 0, 2);
        System.arraycopy(ascii("head"), 0, expected, 2, 4);
        System.arraycopy(ascii("tail"), 0, expected, 998, 4);
        assertArrayEquals(expected, content());
        assertEquals(1002, stack.extendSparse(0, Map.of()));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.extendSparse(4, Map.of(2L, ascii("xyz"))));
        rejectedWithoutChange(IndexOutOfBoundsException.class,
                () -> stack.extendSparse(10, Map.of(Long.MAX_VALUE - 2, ascii("xyzzy")))); // its end overflows
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.extendSparse(10, Map.of(1L, ascii("xyz"),
                2L, ascii("q"))));
    }

    @Test
    void writeUnjournaledWritesBuffersBackToBackInsideThePayloadWithoutForcing() throws IOException {
        stack.push(new byte[1000]);
        FaultyStorageIo io = new FaultyStorageIo();
        stack.close();
        stack = BStack.open(path, options().withIo(io));
        ByteBuffer first = ByteBuffer.wrap(ascii("frame-header"));
        ByteBuffer second = ByteBuffer.allocateDirect(600).put(new byte[600]).flip();
        second.put(0, (byte) 7);
        long forces = io.forces();
        long writes = io.writes();
        stack.writeUnjournaled(100, first, second);
        assertEquals(writes + 2, io.writes(), "one positional write per buffer, nothing staged or journaled");
        assertEquals(forces, io.forces(), "no force until the caller's sync");
        assertEquals(0, first.position(), "positions are not moved");
        stack.sync();
        assertEquals(forces + 1, io.forces());
        assertArrayEquals(ascii("frame-header"), stack.get(100, 112));
        assertEquals(7, stack.get(112, 113)[0]);
        assertEquals(header() + 1000, Files.size(path), "no stage, no growth");
        rejectedWithoutChange(IndexOutOfBoundsException.class,
                () -> stack.writeUnjournaled(999, ByteBuffer.wrap(ascii("xy"))));
    }

    @Test
    void recoverHasNothingToDoOnAHealthyHandle() throws IOException {
        stack.push(ascii("abc"));
        assertFalse(stack.recover());
        assertArrayEquals(ascii("abc"), content());
    }

    // ---------------------------------------------------------------- compound operations

    @Test
    void atruncCutsThenAppends() throws IOException {
        stack.push(ascii("abcdef"));
        stack.atrunc(2, ascii("XYZ")); // grows
        assertArrayEquals(ascii("abcdXYZ"), content());
        stack.atrunc(4, ascii("Q")); // shrinks
        assertArrayEquals(ascii("abcQ"), content());
        stack.atrunc(1, ascii("R")); // same length
        assertArrayEquals(ascii("abcR"), content());
        stack.atrunc(0, ascii("S")); // pure append
        stack.atrunc(2, new byte[0]); // pure cut
        assertArrayEquals(ascii("abc"), content());
        assertEquals(header() + 3, Files.size(path));
    }

    @Test
    void atruncMoreThanLengthIsRejected() throws IOException {
        stack.push(ascii("ab"));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.atrunc(3, ascii("x")));
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.atrunc(-1, ascii("x")));
    }

    @Test
    void spliceReturnsTheRemovedTail() throws IOException {
        stack.push(ascii("abcdef"));
        assertArrayEquals(ascii("ef"), stack.splice(2, ascii("XYZ")));
        assertArrayEquals(ascii("abcdXYZ"), content());
        assertArrayEquals(new byte[0], stack.splice(0, new byte[0]));
        assertArrayEquals(ascii("abcdXYZ"), content());
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.splice(8, ascii("x")));
    }

    @Test
    void spliceIntoMovesTheRemovedTailIntoTheBuffer() throws IOException {
        stack.push(ascii("abcdef"));
        byte[] removed = new byte[3];
        stack.spliceInto(removed, ascii("XY"));
        assertArrayEquals(ascii("def"), removed);
        assertArrayEquals(ascii("abcXY"), content());
        stack.spliceInto(new byte[0], ascii("Z"));
        assertArrayEquals(ascii("abcXYZ"), content());
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.spliceInto(new byte[7], ascii("x")));
    }

    @Test
    void tryExtendAppendsOnlyAtTheExpectedLength() throws IOException {
        stack.push(ascii("ab"));
        assertFalse(stack.tryExtend(1, ascii("c")));
        assertTrue(stack.tryExtend(2, ascii("c")));
        assertTrue(stack.tryExtend(3, new byte[0]));
        assertArrayEquals(ascii("abc"), content());
    }

    @Test
    void tryExtendZerosAppendsOnlyAtTheExpectedLength() throws IOException {
        stack.push(ascii("ab"));
        assertFalse(stack.tryExtendZeros(3, 2));
        assertTrue(stack.tryExtendZeros(2, 2));
        assertTrue(stack.tryExtendZeros(4, 0));
        assertArrayEquals(new byte[] {'a', 'b', 0, 0}, content());
        rejectedWithoutChange(IllegalArgumentException.class, () -> stack.tryExtendZeros(4, -1));
    }

    @Test
    void tryDiscardDiscardsOnlyAtTheExpectedLength() throws IOException {
        stack.push(ascii("abcd"));
        assertFalse(stack.tryDiscard(3, 1));
        assertTrue(stack.tryDiscard(4, 1));
        assertTrue(stack.tryDiscard(3, 0));
        assertArrayEquals(ascii("abc"), content());
    }

    @Test
    void tryDiscardWithAMismatchedLengthReturnsFalseEvenWhenTheCountIsTooLarge() throws IOException {
        stack.push(ascii("abc"));
        assertFalse(stack.tryDiscard(7, 10));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.tryDiscard(3, 4));
    }

    @Test
    void swapReturnsTheOldBytes() throws IOException {
        stack.push(ascii("abcdef"));
        assertArrayEquals(ascii("cd"), stack.swap(2, ascii("XY")));
        assertArrayEquals(ascii("abXYef"), content());
        assertArrayEquals(new byte[0], stack.swap(100, new byte[0]));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.swap(5, ascii("XY")));
    }

    @Test
    void casWritesOnlyOnAMatch() throws IOException {
        stack.push(ascii("abcdef"));
        assertFalse(stack.cas(1, ascii("XX"), ascii("YY")));
        assertArrayEquals(ascii("abcdef"), content());
        assertTrue(stack.cas(1, ascii("bc"), ascii("YY")));
        assertArrayEquals(ascii("aYYdef"), content());
    }

    @Test
    void casWithUnequalLengthsIsFalseAndWithTwoEmptyArraysTrue() throws IOException {
        stack.push(ascii("abc"));
        assertFalse(stack.cas(0, ascii("a"), ascii("xy")));
        assertTrue(stack.cas(100, new byte[0], new byte[0]));
        assertArrayEquals(ascii("abc"), content());
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.cas(2, ascii("cd"), ascii("xy")));
    }

    @Test
    void replaceRewritesTheTailWithWhatTheFunctionReturns() throws IOException {
        stack.push(ascii("abcdef"));
        stack.replace(2, tail -> {
            assertArrayEquals(ascii("ef"), tail);
            return ascii("XYZ");
        });
        assertArrayEquals(ascii("abcdXYZ"), content());
        stack.replace(3, tail -> ascii("Q"));
        assertArrayEquals(ascii("abcdQ"), content());
    }

    @Test
    void replaceCallsTheFunctionEvenForZeroBytes() throws IOException {
        stack.push(ascii("ab"));
        AtomicInteger calls = new AtomicInteger();
        stack.replace(0, tail -> {
            calls.incrementAndGet();
            assertEquals(0, tail.length);
            return ascii("c");
        });
        assertEquals(1, calls.get());
        assertArrayEquals(ascii("abc"), content());
    }

    @Test
    void replaceMoreThanLengthIsRejectedWithoutCallingTheFunction() throws IOException {
        stack.push(ascii("ab"));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.replace(3, tail -> {
            throw new AssertionError("must not be called");
        }));
    }

    @Test
    void replaceWhoseFunctionThrowsChangesNothing() throws IOException {
        stack.push(ascii("ab"));
        rejectedWithoutChange(IllegalStateException.class, () -> stack.replace(1, tail -> {
            tail[0] = 'Z';
            throw new IllegalStateException("boom");
        }));
        rejectedWithoutChange(NullPointerException.class, () -> stack.replace(1, tail -> null));
    }

    @Test
    void processMutatesTheRangeInPlace() throws IOException {
        stack.push(ascii("abcdef"));
        stack.process(1, 4, bytes -> {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Character.toUpperCase(bytes[i]);
            }
        });
        assertArrayEquals(ascii("aBCDef"), content());
    }

    @Test
    void processOfAnEmptyRangeCallsTheFunctionAndWritesNothing() throws IOException {
        stack.push(ascii("ab"));
        AtomicReference<byte[]> seen = new AtomicReference<>();
        stack.process(1, 1, seen::set);
        assertEquals(0, seen.get().length);
        assertArrayEquals(ascii("ab"), content());
    }

    @Test
    void processOfABadRangeIsRejected() throws IOException {
        stack.push(ascii("ab"));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.process(1, 3, b -> { }));
        rejectedWithoutChange(IndexOutOfBoundsException.class, () -> stack.process(2, 1, b -> { }));
    }

    /** Runs {@code mutation} on this test's stack from inside a callback, where it must be refused. */
    private void nested(IoAction mutation) {
        try {
            mutation.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    @Test
    void aReplaceCallbackThatPushesIsRefusedAndNothingChanges() throws IOException {
        stack.push(ascii("abcdef"));
        rejectedWithoutChange(IllegalStateException.class, () -> stack.replace(2, tail -> {
            nested(() -> stack.push(new byte[] {42}));
            return tail;
        }));
        assertEquals(6, stack.length());
        stack.push(new byte[] {42});
        assertArrayEquals(ascii("abcdef*"), content(), "the stack stays usable");
    }

    @Test
    void aProcessCallbackThatPopsIsRefusedAndNothingChanges() throws IOException {
        stack.push(ascii("0123456789"));
        rejectedWithoutChange(IllegalStateException.class, () -> stack.process(6, 8, bytes -> {
            nested(() -> stack.pop(2));
            bytes[0] = 'X';
        }));
        stack.extend(2);
        assertArrayEquals(ascii("0123456789\0\0"), content(), "extend reads zeros, not stale bytes");
    }

    @Test
    void everyMutationAndCloseFromInsideACallbackIsRefused() throws IOException {
        stack.push(ascii("abcdef"));
        List<IoAction> inner = List.of(() -> stack.push(ascii("x")), () -> stack.pop(1), () -> stack.set(0, ascii("y")),
                () -> stack.extend(1), () -> stack.discard(1), () -> stack.atrunc(1, ascii("z")),
                () -> stack.replace(1, t -> t), () -> stack.process(0, 1, b -> { }), () -> stack.sync(),
                () -> stack.close());
        for (IoAction action : inner) {
            rejectedWithoutChange(IllegalStateException.class, () -> stack.replace(1, tail -> {
                nested(action);
                return tail;
            }));
            rejectedWithoutChange(IllegalStateException.class, () -> stack.process(0, 2, bytes -> nested(action)));
        }
        byte[] seen = new byte[2];
        stack.process(0, 2, bytes -> nested(() -> stack.getInto(0, seen)));
        assertArrayEquals(ascii("ab"), seen, "reads from a callback are allowed");
    }

    // ---------------------------------------------------------------- durability and lifecycle

    @Test
    void everyMutationForcesAsItsFormatSaysUnderSync() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        stack.close();
        stack = BStack.open(path, options().withIo(io));
        // Inside the first 256-byte block every write is one force on both formats; a length-changing tail
        // replacement is a Splice journal on 0.4 (four forces).
        int splice = format() == StackFormat.V0_4 ? 4 : 1;
        record Mutation(Executable call, int forces) {}
        List<Mutation> mutations = List.of(
                new Mutation(() -> stack.push(ascii("abcdef")), 1), new Mutation(() -> stack.extend(2), 1),
                new Mutation(() -> stack.pop(1), 1), new Mutation(() -> stack.popInto(new byte[1]), 1),
                new Mutation(() -> stack.discard(1), 1), new Mutation(() -> stack.set(0, ascii("x")), 1),
                new Mutation(() -> stack.zero(0, 1), 1), new Mutation(() -> stack.atrunc(1, ascii("yz")), splice),
                new Mutation(() -> stack.splice(1, ascii("q")), 1),
                new Mutation(() -> stack.spliceInto(new byte[1], ascii("qq")), splice),
                new Mutation(() -> stack.tryExtend(stack.length(), ascii("r")), 1),
                new Mutation(() -> stack.tryExtendZeros(stack.length(), 1), 1),
                new Mutation(() -> stack.tryDiscard(stack.length(), 1), 1),
                new Mutation(() -> stack.swap(0, ascii("s")), 1),
                new Mutation(() -> stack.cas(0, ascii("s"), ascii("t")), 1),
                new Mutation(() -> stack.replace(1, t -> ascii("uv")), splice),
                new Mutation(() -> stack.process(0, 2, b -> b[0] = 'w'), 1),
                new Mutation(() -> stack.pushAll(List.of(ascii("a"), ascii("b"))), 1),
                new Mutation(() -> stack.repeat(0, ascii("ab"), 2), 1), new Mutation(() -> stack.copy(0, 4, 2), 1),
                new Mutation(() -> stack.setBatched(Map.of(0L, ascii("z"))), 1),
                new Mutation(() -> stack.resize(stack.length() + 3), 1), new Mutation(() -> stack.ensure(2), 0),
                new Mutation(() -> stack.extendSparse(4, Map.of(1L, ascii("k"))), 1));
        for (Mutation mutation : mutations) {
            long forces = io.forces();
            try {
                mutation.call().execute();
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            assertEquals(forces + mutation.forces(), io.forces());
        }
    }

    @Test
    void durabilityNoneNeverForces() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        stack.close();
        stack = BStack.open(path, options().withIo(io).withDurability(Durability.NONE));
        stack.push(ascii("abc"));
        stack.pop(1);
        stack.set(0, ascii("x"));
        assertEquals(0, io.forces());
        assertArrayEquals(ascii("xb"), content());
    }

    @Test
    void contentSurvivesReopening() throws IOException {
        stack.push(ascii("abc"));
        stack.set(1, ascii("X"));
        stack.close();
        stack = BStack.open(path, options());
        assertArrayEquals(ascii("aXc"), content());
    }

    @Test
    void useAfterCloseIsRejectedAndCloseIsIdempotent() throws IOException {
        stack.push(ascii("ab"));
        stack.close();
        stack.close();
        assertThrows(IllegalStateException.class, stack::length);
        assertThrows(IllegalStateException.class, () -> stack.push(ascii("c")));
        assertThrows(IllegalStateException.class, () -> stack.push(new byte[0]));
        assertThrows(IllegalStateException.class, () -> stack.get(0, 1));
        assertThrows(IllegalStateException.class, () -> stack.getInto(0, new byte[0]));
        assertThrows(IllegalStateException.class, () -> stack.set(0, new byte[0]));
        assertThrows(IllegalStateException.class, () -> stack.cas(0, new byte[0], new byte[0]));
        assertThrows(IllegalStateException.class, () -> stack.newInputStream(0));
        assertThrows(IllegalStateException.class, stack::newOutputStream);
        assertThrows(IllegalStateException.class, stack::newReadChannel);
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> stack.push((byte[]) null));
        assertEquals("data", e.getMessage());
        assertThrows(NullPointerException.class, () -> stack.replace(0, null));
        assertThrows(NullPointerException.class, () -> BStack.open(null));
    }
}
