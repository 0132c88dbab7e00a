package io.cairn.replication.command;

import io.cairn.stack.CorruptedStoreException;

/**
 * What applying a command answered, sent back to the writer: a status and, for a write that stored a value, the
 * version it got (the same on every replica: versions are drawn in log order).
 *
 * @param status  the outcome
 * @param version the version a put or rename wrote, else 0
 * @param message why a command was {@link Status#REJECTED}, else empty
 */
public record Reply(Status status, long version, String message) {

    /** Outcomes, with their codes in {@link CommandFormat}. */
    public enum Status {
        /** Applied. */
        APPLIED(0),
        /** A condition or guard did not hold: nothing changed. */
        CONDITION_FAILED(1),
        /** A rename's source is absent: nothing changed. */
        SOURCE_MISSING(2),
        /** A rename's target exists and overwrite was not asked: nothing changed. */
        TARGET_EXISTS(3),
        /** The command names a tree that does not exist: nothing changed. */
        NO_SUCH_TREE(4),
        /** A create names a tree that exists: nothing changed. */
        TREE_EXISTS(5),
        /** The database refused the command (e.g. the frame budget): nothing changed; {@code message} says why. */
        REJECTED(6);

        final int code;

        Status(int code) {
            this.code = code;
        }
    }

    public Reply {
        java.util.Objects.requireNonNull(status, "status");
        java.util.Objects.requireNonNull(message, "message");
    }

    public static Reply of(Status status) {
        return new Reply(status, 0, "");
    }

    public byte[] encode() {
        return new WireWriter(CommandFormat.REPLY).u8(status.code).u64(version).text(message).finish();
    }

    /** The reply in {@code bytes}; damaged bytes are refused. */
    public static Reply decode(byte[] bytes) throws CorruptedStoreException {
        WireReader r = new WireReader(bytes, "reply");
        if (r.kind() != CommandFormat.REPLY) {
            throw r.corrupt("kind", "a reply (" + CommandFormat.REPLY + ")", String.valueOf(r.kind()));
        }
        int code = r.u8();
        Status status = null;
        for (Status s : Status.values()) {
            if (s.code == code) {
                status = s;
            }
        }
        if (status == null) {
            throw r.corrupt("status", "0 to 6", String.valueOf(code));
        }
        Reply reply = new Reply(status, r.u64(), r.text());
        r.done();
        return reply;
    }
}
