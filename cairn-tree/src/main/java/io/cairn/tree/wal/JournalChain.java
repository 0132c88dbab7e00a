package io.cairn.tree.wal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash chain of journal envelopes ({@link Redo.Envelope}): each envelope's hash covers the hash before it, its
 * record's sequence, its payload and its batch's encoded body, so anyone holding the envelopes in order can check
 * that none is missing, reordered or altered:
 *
 * <pre>
 * hash := SHA-256( previousHash[32]  sequence:u64  payloadLength:u32  payload  batchBody )   (integers little-endian)
 * </pre>
 *
 * The chain starts from {@link #GENESIS}, 32 zero bytes.
 */
public final class JournalChain {
    private JournalChain() {}

    /** Bytes of a hash. */
    public static final int HASH_BYTES = 32;
    /** The previous hash of the first envelope. */
    private static final byte[] GENESIS = new byte[HASH_BYTES];

    /** The hash before the first envelope (a fresh copy). */
    public static byte[] genesis() {
        return GENESIS.clone();
    }

    static void checkHash(String name, byte[] hash) {
        if (hash == null || hash.length != HASH_BYTES) {
            throw new IllegalArgumentException(name + " must be " + HASH_BYTES + " bytes, got "
                    + (hash == null ? "null" : hash.length + " bytes"));
        }
    }

    /** The hash of an envelope whose batch body is {@code body[from, to)}. */
    static byte[] hash(byte[] previousHash, long sequence, byte[] payload, MemorySegment body, long from, long to) {
        MessageDigest sha = sha256();
        sha.update(previousHash);
        sha.update(ByteBuffer.allocate(Long.BYTES + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(sequence)
                .putInt(payload.length).flip());
        sha.update(payload);
        sha.update(body.asSlice(from, to - from).asByteBuffer());
        return sha.digest();
    }

    /** The hash an envelope of {@code payload} around {@code batch} gets as record {@code sequence}. */
    public static byte[] hash(byte[] previousHash, long sequence, byte[] payload, Redo.Batch batch) {
        checkHash("previousHash", previousHash);
        long size = RedoCodec.batchSize(batch.effects());
        MemorySegment body = MemorySegment.ofArray(new byte[Math.toIntExact(size)]);
        long end = RedoCodec.encodeBatch(body, 0, batch.effects());
        return hash(previousHash, sequence, payload, body, 0, end);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
