package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.alloc.GhostTreeLayout.Node;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.cairn.stack.alloc.GhostTreeLayout.MAX_DEPTH;
import static io.cairn.stack.alloc.GhostTreeLayout.NODE_SIZE;
import static io.cairn.stack.alloc.GhostTreeLayout.NULL;
import static io.cairn.stack.alloc.GhostTreeLayout.ROOT_OFFSET;

/**
 * One read of the on-disk free tree, tolerant of what a crash can leave and strict about what it cannot.
 *
 * <p>A crash in the middle of a tree change (ours, or the reference's torn rotations) can leave nodes reachable
 * twice, a cycle, a zeroed node still linked (recovery zeroes merged headers before relinking), and stale
 * heights or order: these are {@linkplain #repairs() repairs}, and open rebuilds the tree. Pointers outside the
 * arena or misaligned, impossible sizes, overlapping free blocks, non-zero garbage in a zero-size node and trees
 * deeper than {@link GhostTreeLayout#MAX_DEPTH} no crash of this format produces: they are
 * {@linkplain #damage() damage}, and open refuses the file.
 *
 * <p>The walk visits every node at most once (so cycles terminate), never descends past the depth cap, and
 * stops after {@link #MAX_PROBLEMS} problems, so a damaged file costs at most one read per arena block.
 */
final class GhostTreeScan {
    /** Problems collected before the walk gives up. */
    static final int MAX_PROBLEMS = 64;

    private final long root;
    private final Map<Long, Node> nodes = new LinkedHashMap<>();
    private final Set<Long> zeroed = new HashSet<>();
    private final List<String> damage = new ArrayList<>();
    private final List<String> repairs = new ArrayList<>();
    /** Free blocks after merging neighbours, {@code {offset, size}} by offset; valid when there is no damage. */
    private final List<long[]> merged = new ArrayList<>();
    /** Offsets of free blocks swallowed by a lower neighbour: their headers must be zeroed. */
    private final List<Long> seams = new ArrayList<>();
    private boolean misshapen;

    private GhostTreeScan(long root) {
        this.root = root;
    }

    /** Reads and checks the tree of {@code stack}, whose header the caller has checked. */
    static GhostTreeScan read(BStack stack) throws IOException {
        byte[] rootBytes = new byte[8];
        stack.getInto(ROOT_OFFSET, rootBytes);
        GhostTreeScan scan = new GhostTreeScan(AbstractAllocator.getLong(rootBytes, 0));
        scan.walk(stack);
        if (scan.damage.isEmpty()) {
            scan.mergeNeighbours();
        }
        if (scan.damage.isEmpty() && scan.repairs.isEmpty()) {
            scan.checkShape(scan.root, NULL, NULL, NULL, NULL);
        }
        return scan;
    }

    long root() {
        return root;
    }

    /** The distinct non-zeroed nodes reached, in visit order. */
    Map<Long, Node> nodes() {
        return nodes;
    }

    /** Impossible structure: the file is corrupt. */
    List<String> damage() {
        return damage;
    }

    /** What a crash left that recovery must fix by rebuilding (merging neighbours is not listed). */
    List<String> repairs() {
        return repairs;
    }

    /** Whether open must rewrite the tree: a repair is due or neighbouring free blocks can merge. */
    boolean needsRebuild() {
        return !repairs.isEmpty() || !seams.isEmpty();
    }

    List<long[]> mergedBlocks() {
        return merged;
    }

    List<Long> seams() {
        return seams;
    }

    private void walk(BStack stack) throws IOException {
        long length = stack.length();
        Deque<long[]> todo = new ArrayDeque<>(); // {offset, depth, parent}
        todo.push(new long[] {root, 1, NULL});
        byte[] buf = new byte[NODE_SIZE];
        while (!todo.isEmpty() && damage.size() + repairs.size() < MAX_PROBLEMS) {
            long[] next = todo.pop();
            long at = next[0];
            String where = next[2] == NULL ? "the root pointer" : "the node at " + next[2];
            if (at == NULL) {
                continue;
            }
            if (!GhostTreeLayout.isBlockOffset(at) || at > length - NODE_SIZE) {
                damage.add("node offset " + at + " from " + where + " is not a block offset inside [48, "
                        + length + ")");
                continue;
            }
            if (next[1] > MAX_DEPTH) {
                damage.add("the tree is deeper than " + MAX_DEPTH + " levels at node " + at);
                continue;
            }
            if (nodes.containsKey(at) || zeroed.contains(at)) {
                repairs.add("node " + at + " is reachable twice (again from " + where + ")");
                continue;
            }
            stack.getInto(at, buf);
            Node node = Node.decode(buf);
            if (node.size() == 0) {
                if (node.equals(new Node(0, 0, 0, NULL, NULL))) {
                    zeroed.add(at);
                    repairs.add("node " + at + " (from " + where + ") is zeroed: an interrupted merge");
                } else {
                    damage.add("node " + at + " has size 0 but non-zero fields");
                }
                continue;
            }
            if (!GhostTreeLayout.isBlockSize(node.size()) || node.size() > length - at) {
                damage.add("node " + at + " has impossible size " + node.size() + " (a multiple of 32 ending by "
                        + length + " expected)");
                continue;
            }
            nodes.put(at, node);
            todo.push(new long[] {node.right(), next[1] + 1, at});
            todo.push(new long[] {node.left(), next[1] + 1, at});
        }
        if (!todo.isEmpty()) {
            damage.add("gave up after " + MAX_PROBLEMS + " problems");
        }
    }

    private void mergeNeighbours() {
        List<Long> offsets = new ArrayList<>(nodes.keySet());
        offsets.sort(null);
        for (long at : offsets) {
            long size = nodes.get(at).size();
            long[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && last[0] + last[1] > at) {
                damage.add("free blocks [" + last[0] + ", +" + last[1] + ") and [" + at + ", +" + size
                        + ") overlap");
                return;
            }
            if (last != null && last[0] + last[1] == at) {
                last[1] += size;
                seams.add(at);
            } else {
                merged.add(new long[] {at, size});
            }
        }
    }

    /**
     * Checks order, stored heights and balance of the subtree at {@code at}, whose keys must lie strictly between
     * the bounds ({@code NULL} offsets for none); returns its height. Only run on a tree without repeats, so the
     * recursion is bounded by the depth cap the walk enforced.
     */
    private int checkShape(long at, long loSize, long loOffset, long hiSize, long hiOffset) {
        if (at == NULL || misshapen) {
            return 0;
        }
        Node n = nodes.get(at);
        if ((loOffset != NULL && GhostTreeIndex.compareKeys(n.size(), at, loSize, loOffset) <= 0)
                || (hiOffset != NULL && GhostTreeIndex.compareKeys(n.size(), at, hiSize, hiOffset) >= 0)) {
            flag("node " + at + " (size " + n.size() + ") is out of (size, offset) order");
            return 0;
        }
        int lh = checkShape(n.left(), loSize, loOffset, n.size(), at);
        int rh = checkShape(n.right(), n.size(), at, hiSize, hiOffset);
        int height = 1 + Math.max(lh, rh);
        if (!misshapen && (n.height() != height || n.balance() != rh - lh || Math.abs(rh - lh) > 1)) {
            flag("node " + at + " stores height " + n.height() + " and balance " + n.balance() + " but has height "
                    + height + " and balance " + (rh - lh) + (Math.abs(rh - lh) > 1 ? " (unbalanced)" : ""));
        }
        return height;
    }

    private void flag(String problem) {
        misshapen = true;
        repairs.add(problem);
    }
}
