package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

import static io.cairn.stack.alloc.GhostTreeLayout.ARENA_START;
import static io.cairn.stack.alloc.GhostTreeLayout.BLOCK_ALIGN;
import static io.cairn.stack.alloc.GhostTreeLayout.MAGIC_OFFSET;
import static io.cairn.stack.alloc.GhostTreeLayout.NODE_SIZE;
import static io.cairn.stack.alloc.GhostTreeLayout.NULL;
import static io.cairn.stack.alloc.GhostTreeLayout.blockSize;

/**
 * A best-fit allocator whose free blocks hold their own AVL tree ("ghost tree"): live allocations carry no header
 * at all, free ones carry a 32-byte node. Byte-compatible with the reference bstack 0.2
 * {@code GhostTreeBstackAllocator} ({@code ALGT}, layout in {@link GhostTreeLayout}).
 *
 * <p><b>Policy.</b> Blocks are multiples of 32 bytes (at least 32) at payload offsets of 16 mod 32 (32-aligned in
 * the file on a 0.2 stack; on a 0.4 stack, whose header is 32 bytes, a node that starts 16 bytes before a 256-byte
 * boundary of the file crosses it, so its write is journaled: slower, never less safe). An allocation takes the
 * smallest free block that fits (lowest offset on ties); a larger block is split, the front staying free and the
 * back handed out, so the node never moves. No fit: the stack grows. A freed block merges
 * with free neighbours on both sides; a free range reaching the tail is discarded instead. Bulk allocation takes
 * one block for the sum of the rounded lengths (the remainder of the block it splits stays free); bulk release
 * merges adjacent slices first. Free bytes are kept zeroed, so allocations need no zeroing beyond a reused node.
 *
 * <p><b>Recovery on open</b> walks the tree from disk visiting each node once (cycles and nodes reachable twice
 * from torn rotations are tolerated), capped at {@value GhostTreeLayout#MAX_DEPTH} levels; merges adjacent free
 * blocks, zeroing the swallowed headers; and rebuilds a balanced tree, writing only the nodes that change. A tree
 * that is already valid and has no adjacent free blocks is left untouched. Pointers out of the arena, impossible
 * sizes or overlapping blocks are a {@link CorruptedStoreException}.
 *
 * <p><b>Crash behaviour</b> ({@code commit} = the changed 32-byte nodes, then the root pointer, one synced stack
 * write each; every node reachable at any moment of a commit is a free block):
 * <table>
 * <caption>operation, stack calls, what a crash can leave</caption>
 * <tr><th>operation</th><th>stack calls</th><th>a crash can leave</th></tr>
 * <tr><td>alloc, split fit</td><td>commit (remove block, re-insert its front)</td><td>the block still free, or
 *     its back part leaked</td></tr>
 * <tr><td>alloc, exact fit</td><td>commit; zero the 32-byte node</td><td>the block still free, or leaked</td></tr>
 * <tr><td>alloc, no fit</td><td>{@code tryExtendZeros}</td><td>a leaked block at the tail</td></tr>
 * <tr><td>dealloc, tail</td><td>[commit removing a free left neighbour]; {@code tryDiscard}</td><td>the
 *     neighbour leaked</td></tr>
 * <tr><td>dealloc</td><td>zero the block; [commit removing a free right neighbour; zero its node]; commit</td>
 *     <td>the block (and neighbours) leaked, zeroed</td></tr>
 * <tr><td>realloc, same block</td><td>zero the dropped bytes</td><td>nothing else</td></tr>
 * <tr><td>realloc shrink</td><td>zero the dropped bytes; then as dealloc of the freed back part</td><td>the back
 *     part leaked</td></tr>
 * <tr><td>realloc grow, tail</td><td>{@code tryExtendZeros}</td><td>a leaked tail</td></tr>
 * <tr><td>realloc grow into a free right neighbour</td><td>commit detaching it; zero its node; [commit inserting
 *     its remainder]</td><td>the neighbour leaked</td></tr>
 * <tr><td>realloc grow, moved</td><td>as alloc; copy; as dealloc of the old block</td><td>the new block leaked
 *     (the old one intact), or the old one leaked</td></tr>
 * <tr><td>allocBulk / deallocBulk</td><td>as alloc of the sum / as dealloc of each merged run, one commit</td>
 *     <td>as alloc / dealloc</td></tr>
 * <tr><td>open (recovery)</td><td>[pad the tail]; zero swallowed nodes; commit</td><td>subtrees under a zeroed
 *     node leaked</td></tr>
 * </table>
 * A commit rewrites each changed node once; a rotation re-homes three subtrees with three writes, so a crash
 * between them can orphan a subtree of free blocks (a leak, as in the reference; open then finds the rest). Two
 * reachable nodes never overlap: a node is written inside another free block only after that block's node is
 * detached and zeroed, and open zeroes swallowed nodes before relinking. Live bytes are never written by the
 * allocator except to zero bytes their owner released, so a crash never damages a live allocation. Leaked space
 * is not reclaimed: blocks carry no free flag, so a linear scan cannot tell a leaked block from a live one.
 *
 * <p><b>Handles.</b> {@link #slice(long, long)}, {@code realloc} and {@code dealloc} check that the range starts on
 * a block boundary, lies inside the stack and overlaps no free block; so a double free is detected while the
 * block stays free, and not once the space has been handed out again (nothing on disk records who owns a live
 * block).
 *
 * <p><b>Threads.</b> Every change runs under one lock; slice I/O goes straight to the stack. After an I/O error
 * during a change the allocator refuses further changes: the file must be reopened, which recovers it.
 */
public final class GhostTreeAllocator extends AbstractAllocator implements BulkAllocator {
    private final GhostTreeIndex free;

    private GhostTreeAllocator(BStack stack, GhostTreeIndex free) {
        super(stack);
        this.free = free;
    }

    /**
     * Opens the allocator over {@code stack}, which it then owns: an empty stack is initialised (one push of the
     * 48-byte header), otherwise the header is checked and the free tree recovered (see the class comment).
     *
     * @throws CorruptedStoreException if the payload is 1 to 47 bytes, the magic differs, or the tree is damaged
     */
    public static GhostTreeAllocator open(BStack stack) throws IOException {
        Objects.requireNonNull(stack, "stack");
        long length = stack.length();
        if (length == 0) {
            stack.push(GhostTreeLayout.freshHeader());
            return new GhostTreeAllocator(stack, new GhostTreeIndex(stack, NULL, Map.of()));
        }
        readHeader(stack, GhostTreeLayout.HEADER, MAGIC_OFFSET, ARENA_START);
        GhostTreeScan scan = GhostTreeScan.read(stack);
        if (!scan.damage().isEmpty()) {
            throw new CorruptedStoreException(stack.path(), GhostTreeLayout.ROOT_OFFSET, "ghost-tree free tree",
                    "an AVL tree of free blocks", String.join("; ", scan.damage()));
        }
        long misalignment = (length - ARENA_START) % BLOCK_ALIGN;
        if (misalignment != 0 && !stack.isReadOnly()) {
            stack.extend(BLOCK_ALIGN - misalignment); // the reference pads a foreign partial block the same way
        }
        GhostTreeIndex index = new GhostTreeIndex(stack, scan.root(), scan.nodes());
        if (scan.needsRebuild()) {
            index.rebuild(scan.mergedBlocks());
            if (!stack.isReadOnly()) {
                for (long seam : scan.seams()) {
                    stack.zero(seam, NODE_SIZE);
                }
                index.commit();
            }
        }
        return new GhostTreeAllocator(stack, index);
    }

    // ---------------------------------------------------------------- Allocator

    @Override
    long maxLength() {
        return GhostTreeLayout.MAX_BLOCK;
    }

    @Override
    Slice allocate(long length) throws IOException {
        long block = blockSize(length);
        return changing(() -> {
            beginChange();
            return handle(take(block), length);
        });
    }

    @Override
    Slice resize(Slice slice, long newLength) throws IOException {
        long newBlock = blockSize(newLength);
        // Checks the block under the lock that resizes it: a concurrent free could merge it into the tree first.
        return changing(() -> {
            long oldBlock = checkLive(slice.offset(), slice.length(), "slice");
            beginChange();
            return handle(resizeBlock(slice.offset(), slice.length(), oldBlock, newLength, newBlock), newLength);
        });
    }

    @Override
    void free(Slice slice) throws IOException {
        // Checks the block under the lock that frees it, as resize does.
        changing(() -> {
            long block = checkLive(slice.offset(), slice.length(), "slice");
            beginChange();
            release(List.of(new long[] {slice.offset(), block}));
            return null;
        });
    }

    @Override
    public List<Slice> allocBulk(long... lengths) throws IOException {
        Objects.requireNonNull(lengths, "lengths");
        checkOpen();
        long[] blocks = new long[lengths.length];
        long total = 0;
        for (int i = 0; i < lengths.length; i++) {
            checkLength(lengths[i], "lengths[" + i + "]");
            blocks[i] = lengths[i] == 0 ? 0 : blockSize(lengths[i]);
            if (blocks[i] > GhostTreeLayout.MAX_BLOCK - total) {
                throw new IllegalArgumentException("lengths total more than " + GhostTreeLayout.MAX_BLOCK
                        + " bytes at index " + i);
            }
            total += blocks[i];
        }
        List<Slice> slices = new ArrayList<>(lengths.length);
        long block = total;
        long at = total == 0 ? NULL : changing(() -> {
            beginChange();
            return take(block);
        });
        for (int i = 0; i < lengths.length; i++) {
            slices.add(lengths[i] == 0 ? nullSlice() : handle(at, lengths[i]));
            at += blocks[i];
        }
        return slices;
    }

    @Override
    public void deallocBulk(Collection<Slice> slices) throws IOException {
        changing(() -> {
            List<long[]> runs = contiguousRuns(slices,
                    slice -> checkLive(slice.offset(), slice.length(), "slice"));
            if (!runs.isEmpty()) {
                beginChange();
                release(runs);
            }
            return null;
        });
    }

    @Override
    public Slice slice(long offset, long length) throws IOException {
        checkOpen();
        if (offset == 0 && length == 0) {
            return nullSlice();
        }
        if (length <= 0) {
            throw new IllegalArgumentException("length of a live allocation at " + offset + " must be positive: "
                    + length);
        }
        lock.lock();
        try {
            checkLive(offset, length, "slice");
            return handle(offset, length);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks the header, reads the whole tree from disk and checks it: valid pointers and sizes, no repeats,
     * (size, offset) order, stored heights and AVL balance, no overlap, zeroed free bytes, and agreement with what
     * this instance holds in memory. Live bytes cannot be told from leaked ones (there are no block headers), so
     * both are reported unknown.
     */
    @Override
    AllocatorReport inspect() throws IOException {
        List<String> problems = new ArrayList<>();
        long length = stack.length();
        if (length < ARENA_START) {
            problems.add("payload is " + length + " bytes: shorter than the header");
            return report(length, 0, 0, problems);
        }
        try {
            readHeader(stack, GhostTreeLayout.HEADER, MAGIC_OFFSET, ARENA_START);
        } catch (CorruptedStoreException | FormatVersionException e) {
            problems.add(e.getMessage());
        }
        if ((length - ARENA_START) % BLOCK_ALIGN != 0) {
            problems.add("payload length " + length + " does not end on a block boundary");
        }
        GhostTreeScan scan = GhostTreeScan.read(stack);
        problems.addAll(scan.damage());
        problems.addAll(scan.repairs());
        long freeBytes = 0;
        long largest = 0;
        for (Map.Entry<Long, GhostTreeLayout.Node> e : scan.nodes().entrySet()) {
            long size = e.getValue().size();
            freeBytes += size;
            largest = Math.max(largest, size);
            if (problems.size() < GhostTreeScan.MAX_PROBLEMS) {
                checkZeroed(e.getKey() + NODE_SIZE, size - NODE_SIZE, problems);
            }
        }
        if (scan.damage().isEmpty() && !scan.seams().isEmpty()) {
            problems.add(scan.seams().size() + " free blocks touch a free neighbour (merged on the next open)");
        }
        if (problems.isEmpty() && (scan.root() != free.root() || !scan.nodes().keySet().equals(
                free.blocks().keySet()) || scan.nodes().entrySet().stream()
                .anyMatch(e -> !e.getValue().equals(free.node(e.getKey()))))) {
            problems.add("the tree on disk differs from this instance's (changed outside the allocator?)");
        }
        return report(length, freeBytes, largest, problems);
    }

    @Override
    public String toString() {
        return "GhostTreeAllocator[" + stack.path() + "]";
    }

    // ---------------------------------------------------------------- machinery (under the lock)

    /** Takes a zeroed block of {@code size} bytes: best fit (split at the front) or the tail. */
    private long take(long size) throws IOException {
        long fit = free.bestFit(size);
        if (fit == NULL) {
            return extendTail(size);
        }
        long found = free.remove(fit);
        if (found > size) {
            free.insert(fit, found - size);
            free.commit();
            return fit + found - size;
        }
        free.commit();
        stack.zero(fit, NODE_SIZE);
        return fit;
    }

    private long extendTail(long size) throws IOException {
        long length = stack.length();
        requireBlockAlignedTail(length);
        if (size > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("a block of " + size + " bytes past offset " + length
                    + " overflows the stack");
        }
        if (!stack.tryExtendZeros(length, size)) {
            throw new IllegalStateException("the stack of " + this + " changed length outside the allocator");
        }
        return length;
    }

    private long resizeBlock(long offset, long oldLength, long oldBlock, long newLength, long newBlock)
            throws IOException {
        if (newBlock <= oldBlock) {
            if (newLength < oldLength) {
                zeroRange(offset + newLength, Math.min(oldLength, newBlock) - newLength);
            }
            if (newBlock < oldBlock) {
                release(List.of(new long[] {offset + newBlock, oldBlock - newBlock}));
            }
            return offset;
        }
        long end = offset + oldBlock;
        long growth = newBlock - oldBlock;
        if (end == stack.length()) {
            extendTail(growth);
            return offset;
        }
        long neighbour = free.sizeAt(end);
        if (neighbour >= growth) {
            // Detach first: were the remainder's node linked while the old one still is, they would overlap.
            free.remove(end);
            free.commit();
            stack.zero(end, NODE_SIZE);
            if (neighbour > growth) {
                free.insert(end + growth, neighbour - growth);
                free.commit();
            }
            return offset;
        }
        long moved = take(newBlock);
        for (long done = 0; done < oldLength; done += IO_CHUNK) {
            int n = (int) Math.min(IO_CHUNK, oldLength - done);
            stack.set(moved + done, stack.get(offset + done, offset + done + n));
        }
        release(List.of(new long[] {offset, oldBlock}));
        return moved;
    }

    /**
     * Frees the given disjoint, non-adjacent ranges ({@code {offset, size}}) that callers owned: merges them with
     * free neighbours, discards a merged range that reaches the tail, and inserts the rest. Order: zero the
     * callers' bytes; if a free neighbour's node would end up inside a merged range or in the discarded tail,
     * detach the neighbours first (one commit) and only then zero those nodes or discard; insert (one commit).
     */
    private void release(List<long[]> runs) throws IOException {
        List<Piece> pieces = new ArrayList<>();
        for (long[] run : runs) {
            pieces.add(new Piece(run[0], run[1], true));
            long left = free.blockEndingAt(run[0]);
            if (left != NULL) {
                pieces.add(new Piece(left, free.sizeAt(left), false));
            }
            long right = run[0] + run[1];
            if (free.sizeAt(right) > 0) {
                pieces.add(new Piece(right, free.sizeAt(right), false));
            }
        }
        pieces.sort(Comparator.comparingLong(Piece::offset));
        List<long[]> ranges = new ArrayList<>(); // merged {offset, size}
        List<Piece> placed = new ArrayList<>();
        Set<Long> heads = new HashSet<>();
        for (Piece piece : pieces) {
            long[] last = ranges.isEmpty() ? null : ranges.getLast();
            if (last != null && last[0] + last[1] > piece.offset()) {
                continue; // a free neighbour shared by two runs, already placed
            }
            if (last != null && last[0] + last[1] == piece.offset()) {
                last[1] += piece.size();
            } else {
                ranges.add(new long[] {piece.offset(), piece.size()});
                heads.add(piece.offset());
            }
            placed.add(piece);
        }
        long tail = stack.length();
        long[] tailRange = ranges.getLast()[0] + ranges.getLast()[1] == tail ? ranges.removeLast() : null;
        boolean detachFirst = false;
        List<Long> swallowedNodes = new ArrayList<>();
        for (Piece piece : placed) {
            boolean discarded = tailRange != null && piece.offset() >= tailRange[0];
            if (piece.callers()) {
                if (!discarded) {
                    zeroRange(piece.offset(), piece.size());
                }
            } else {
                free.remove(piece.offset());
                if (discarded) {
                    detachFirst = true;
                } else if (!heads.contains(piece.offset())) {
                    detachFirst = true;
                    swallowedNodes.add(piece.offset());
                }
            }
        }
        if (detachFirst) {
            free.commit();
        }
        for (long node : swallowedNodes) {
            stack.zero(node, NODE_SIZE);
        }
        if (tailRange != null) {
            requireBlockAlignedTail(tail);
            if (!stack.tryDiscard(tail, tailRange[1])) {
                throw new IllegalStateException("the stack of " + this + " changed length outside the allocator");
            }
        }
        for (long[] range : ranges) {
            free.insert(range[0], range[1]);
        }
        free.commit();
    }

    /** Part of a range being freed: the caller's block, or a free neighbour it merges with. */
    private record Piece(long offset, long size, boolean callers) {
    }

    /**
     * Checks that {@code [offset, offset + block(length))} can be a live allocation: a block offset, inside the
     * stack, overlapping no free block. Returns the block size.
     */
    private long checkLive(long offset, long length, String name) throws IOException {
        checkOpen();
        if (!GhostTreeLayout.isBlockOffset(offset)) {
            throw new IllegalArgumentException(name + " offset " + offset + " is not a block offset (at least "
                    + ARENA_START + " and 16 mod 32)");
        }
        long block = blockSize(length);
        long stackLength = stack.length();
        if (block > stackLength - offset) {
            throw new IllegalArgumentException(name + " [" + offset + ", +" + length + ") (block of " + block
                    + " bytes) extends past the stack's " + stackLength + " bytes");
        }
        long overlap = free.overlapping(offset, offset + block);
        if (overlap != NULL) {
            throw new IllegalArgumentException(name + " [" + offset + ", +" + length + ") overlaps the free block at "
                    + overlap + " (" + free.sizeAt(overlap) + " bytes): already freed or never allocated");
        }
        return block;
    }

    private void requireBlockAlignedTail(long length) throws CorruptedStoreException {
        if (!GhostTreeLayout.isBlockOffset(length)) {
            throw corrupted(ARENA_START, "ghost-tree arena", "a whole number of " + BLOCK_ALIGN + "-byte blocks",
                    "a stack of " + length + " bytes");
        }
    }

    private void checkZeroed(long offset, long n, List<String> problems) throws IOException {
        long dirty = firstNonZero(offset, offset + n);
        if (dirty >= 0) {
            problems.add("free byte at " + dirty + " is not zero");
        }
    }

    private AllocatorReport report(long length, long freeBytes, long largest, List<String> problems) {
        return new AllocatorReport("ghost-tree", length, freeBytes, largest, OptionalLong.empty(),
                OptionalLong.empty(), problems);
    }
}
