package io.cairn.tree;

/**
 * The journal envelope of a batch ({@link Database#atomicWithEnvelope}): the caller's opaque payload and one link of
 * a hash chain over every enveloped batch, stored in the batch's own log record, so an external log can check that
 * it has seen every enveloped batch, in order and unchanged:
 * {@code hash = SHA-256(previousHash ‖ sequence (u64 LE) ‖ payload length (u32 LE) ‖ payload ‖ the batch's log
 * body)}; the first envelope's {@code previousHash} is 32 zero bytes. Arrays are shared: do not change them.
 *
 * @param sequence     the batch's sequence in the change feed
 * @param payload      the caller's bytes
 * @param previousHash the hash of the envelope before it
 * @param hash         this envelope's hash (the next one's {@code previousHash})
 */
public record JournalEnvelope(long sequence, byte[] payload, byte[] previousHash, byte[] hash) {}
