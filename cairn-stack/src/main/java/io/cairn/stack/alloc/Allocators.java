package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.FormatHeader;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The front door to an allocator that already lives in a stack: finds its kind by the magic in the payload and
 * opens it, so a caller (the CLI, a tool, a benchmark) needs no switch over magics of its own. Creating an
 * allocator stays with each kind's factory ({@link SegregatedAllocator#open}, {@link SlabAllocator#create}, ...),
 * which is where the kind and its parameters are chosen.
 *
 * <p>Each magic sits after the user bytes its format reserves: {@code ALFF} at payload 16, {@code ALSG},
 * {@code ALCK} and {@code ALSL} at 24, {@code ALGT} at 32. User bytes of a format with a longer user area can
 * hold anything, including another format's magic, so detection tries the kinds from the longest user area to
 * the shortest ({@code ALGT}, then the three at 24, then {@code ALFF}): the bytes where a later kind's magic would
 * be are never user bytes of an earlier one. Only the four-letter name is matched; the kind's own open then
 * checks the version and everything else. A linear allocator has no header, so it cannot be detected.
 */
public final class Allocators {
    /** Payload bytes read for detection: up to the end of the furthest magic's name. */
    private static final int HEAD = 36;
    /** Leading payload bytes a refusal message shows. */
    private static final int SHOWN = 48;

    private Allocators() {
    }

    /** The kinds detection tries, in order (see the class comment). */
    private enum Kind {
        GHOST_TREE("ghost-tree", GhostTreeLayout.MAGIC_OFFSET, GhostTreeLayout.MAGIC, GhostTreeAllocator::open),
        SEGREGATED("segregated", SegregatedLayout.MAGIC_OFFSET, SegregatedLayout.MAGIC, SegregatedAllocator::open),
        CHECKED_SLAB("checked-slab", CheckedSlabFormat.MAGIC_OFFSET, CheckedSlabFormat.MAGIC,
                CheckedSlabAllocator::open),
        SLAB("slab", SlabAllocator.MAGIC_OFFSET, SlabAllocator.MAGIC, SlabAllocator::open),
        FIRST_FIT("first-fit", FirstFitAllocator.MAGIC_OFFSET, FirstFitAllocator.MAGIC, FirstFitAllocator::open);

        private final String label;
        private final int offset;
        private final byte[] name;
        private final Opener opener;

        Kind(String label, long offset, byte[] magic, Opener opener) {
            this.label = label;
            this.offset = (int) offset;
            this.name = Arrays.copyOf(magic, 4);
            this.opener = opener;
        }

        boolean matches(byte[] head) {
            return head.length >= offset + name.length
                    && Arrays.equals(head, offset, offset + name.length, name, 0, name.length);
        }
    }

    /** A kind's open. */
    @FunctionalInterface
    private interface Opener {
        Allocator open(BStack stack) throws IOException;
    }

    /**
     * Opens the allocator {@code stack} holds, which it then owns (running that kind's recovery on a writable
     * stack). On failure the stack stays open and the caller's.
     *
     * @throws IllegalArgumentException if the stack holds no allocator (the message says what it holds)
     * @throws io.cairn.stack.CorruptedStoreException if it holds one whose header or structure is damaged
     */
    public static Allocator open(BStack stack) throws IOException {
        Objects.requireNonNull(stack, "stack");
        byte[] head = head(stack);
        Optional<Kind> kind = kindOf(head);
        if (kind.isEmpty()) {
            throw new IllegalArgumentException(describeForeign(stack));
        }
        return kind.get().opener.open(stack);
    }

    /**
     * The kind of allocator {@code stack} holds, by its magic, as {@link AllocatorReport#kind()} names it
     * ({@code "first-fit"}, {@code "slab"}, {@code "checked-slab"}, {@code "ghost-tree"}, {@code "segregated"}),
     * or empty if it holds none. Reads the first bytes only; nothing is checked beyond the magic's name.
     */
    public static Optional<String> detect(BStack stack) throws IOException {
        Objects.requireNonNull(stack, "stack");
        return kindOf(head(stack)).map(kind -> kind.label);
    }

    private static byte[] head(BStack stack) throws IOException {
        return stack.get(0, Math.min(stack.length(), HEAD));
    }

    private static Optional<Kind> kindOf(byte[] head) {
        return Arrays.stream(Kind.values()).filter(kind -> kind.matches(head)).findFirst();
    }

    /** What a stack without an allocator holds, for the refusal message. */
    private static String describeForeign(BStack stack) throws IOException {
        long length = stack.length();
        if (length == 0) {
            return "stack " + stack.path() + " is empty: it holds no allocator yet (create one with its kind's "
                    + "factory, e.g. SegregatedAllocator.open)";
        }
        byte[] shown = stack.get(0, Math.min(length, SHOWN));
        return "stack " + stack.path() + " holds no allocator: " + length + " bytes starting \""
                + FormatHeader.render(shown, 0, shown.length) + (length > SHOWN ? "\"..." : "\"")
                + " (no ALGT at payload 32, ALSG/ALCK/ALSL at 24 or ALFF at 16; a linear allocator has no header)";
    }
}
