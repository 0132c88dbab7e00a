package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ghost tree against an oracle: a plain sorted map of free ranges applying the same policy (best fit by
 * (size, offset), split keeping the front free, merging with both neighbours, tail discards, growth at the tail or
 * into a free right neighbour, bulk as one block). Every returned offset must be the one the oracle predicts, and
 * after every operation the free bytes, the largest free block and the stack length must agree; live bytes are
 * checked, and the allocator reopened, along the way. A failure names the seed and the operation index.
 */
class GhostTreeModelTest {
    private static final BStackOptions UNSYNCED = BStackOptions.defaults().withDurability(Durability.NONE);

    @TempDir
    Path dir;

    @Test
    void everyDecisionMatchesTheOracle() throws IOException {
        String fixed = System.getProperty("cairn.alloc.fuzz.seed");
        long[] seeds = fixed != null ? new long[] {Long.parseLong(fixed)}
                : new long[] {1, 2, 3, new Random().nextLong()};
        for (long seed : seeds) {
            new Run(dir.resolve("model-" + seed + ".stack"), seed).go(2500);
        }
    }

    /** The free space as maximal ranges by offset, and the stack length. */
    private static final class Oracle {
        final TreeMap<Long, Long> free = new TreeMap<>();
        long tail = GhostTreeLayout.ARENA_START;

        long take(long block) {
            Map.Entry<Long, Long> best = free.entrySet().stream().filter(e -> e.getValue() >= block)
                    .min(Comparator.<Map.Entry<Long, Long>>comparingLong(Map.Entry::getValue)
                            .thenComparingLong(Map.Entry::getKey))
                    .orElse(null);
            if (best == null) {
                tail += block;
                return tail - block;
            }
            long at = best.getKey(); // read before removing: TreeMap reuses a removed entry for its successor
            long size = best.getValue();
            free.remove(at);
            if (size > block) {
                free.put(at, size - block);
            }
            return at + size - block;
        }

        void release(long offset, long size) {
            Map.Entry<Long, Long> left = free.lowerEntry(offset); // a snapshot entry, safe to read after removal
            if (left != null && left.getKey() + left.getValue() == offset) {
                free.remove(left.getKey());
                offset = left.getKey();
                size += left.getValue();
            }
            Long right = free.remove(offset + size);
            if (right != null) {
                size += right;
            }
            if (offset + size == tail) {
                tail = offset;
            } else {
                free.put(offset, size);
            }
        }

        long resize(long offset, long oldBlock, long newBlock) {
            if (newBlock < oldBlock) {
                release(offset + newBlock, oldBlock - newBlock);
                return offset;
            }
            if (newBlock == oldBlock) {
                return offset;
            }
            long end = offset + oldBlock;
            long growth = newBlock - oldBlock;
            if (end == tail) {
                tail += growth;
                return offset;
            }
            Long neighbour = free.get(end);
            if (neighbour != null && neighbour >= growth) {
                free.remove(end);
                if (neighbour > growth) {
                    free.put(end + growth, neighbour - growth);
                }
                return offset;
            }
            long moved = take(newBlock);
            release(offset, oldBlock);
            return moved;
        }

        long freeBytes() {
            return free.values().stream().mapToLong(Long::longValue).sum();
        }

        long largest() {
            return free.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private static final class Run {
        final Path file;
        final long seed;
        final Random random;
        final Oracle oracle = new Oracle();
        final List<Slice> live = new ArrayList<>();
        final List<byte[]> data = new ArrayList<>();
        GhostTreeAllocator alloc;

        Run(Path file, long seed) {
            this.file = file;
            this.seed = seed;
            this.random = new Random(seed);
        }

        void go(int operations) throws IOException {
            alloc = GhostTreeAllocator.open(BStack.open(file, UNSYNCED));
            int op = 0;
            try {
                for (; op < operations; op++) {
                    step();
                    assertEquals(oracle.tail, alloc.stack().length(), "stack length");
                    if (op % 50 == 0) {
                        checkAll();
                    }
                }
                checkAll();
            } catch (IOException | RuntimeException | AssertionError e) {
                throw new AssertionError("ghost-tree model failed: seed " + seed + ", operation " + op
                        + " (rerun with -Dcairn.alloc.fuzz.seed=" + seed + "): " + e.getMessage(), e);
            } finally {
                alloc.close();
            }
        }

        private void step() throws IOException {
            int dice = random.nextInt(100);
            if (dice < 35 || live.isEmpty()) {
                long length = 1 + random.nextInt(1024);
                Slice s = alloc.alloc(length);
                assertEquals(oracle.take(GhostTreeLayout.blockSize(length)), s.offset(), "alloc offset");
                assertArrayEquals(new byte[(int) length], s.read(), "fresh allocation not zeroed");
                keep(s);
            } else if (dice < 55) {
                int i = random.nextInt(live.size());
                Slice old = live.get(i);
                long length = 1 + random.nextInt(1024);
                Slice s = alloc.realloc(old, length);
                long expected = oracle.resize(old.offset(), GhostTreeLayout.blockSize(old.length()),
                        GhostTreeLayout.blockSize(length));
                assertEquals(expected, s.offset(), "realloc offset");
                byte[] now = s.read();
                int kept = (int) Math.min(old.length(), length);
                assertArrayEquals(Arrays.copyOf(data.get(i), kept), Arrays.copyOf(now, kept), "realloc kept");
                assertArrayEquals(new byte[(int) length - kept], Arrays.copyOfRange(now, kept, (int) length),
                        "realloc growth not zeroed");
                live.remove(i);
                data.remove(i);
                keep(s);
            } else if (dice < 75) {
                int i = random.nextInt(live.size());
                Slice s = live.remove(i);
                data.remove(i);
                alloc.dealloc(s);
                oracle.release(s.offset(), GhostTreeLayout.blockSize(s.length()));
            } else if (dice < 85) {
                long[] lengths = new long[1 + random.nextInt(5)];
                long total = 0;
                for (int k = 0; k < lengths.length; k++) {
                    lengths[k] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(300);
                    total += lengths[k] == 0 ? 0 : GhostTreeLayout.blockSize(lengths[k]);
                }
                List<Slice> slices = alloc.allocBulk(lengths);
                long at = total == 0 ? 0 : oracle.take(total);
                for (int k = 0; k < lengths.length; k++) {
                    Slice s = slices.get(k);
                    if (lengths[k] == 0) {
                        assertTrue(s.isNull(), "bulk null slice");
                        continue;
                    }
                    assertEquals(at, s.offset(), "bulk offset " + k);
                    at += GhostTreeLayout.blockSize(lengths[k]);
                    keep(s);
                }
            } else if (dice < 95) {
                List<Slice> chosen = new ArrayList<>();
                for (int k = random.nextInt(4); k >= 0 && !live.isEmpty(); k--) {
                    int i = random.nextInt(live.size());
                    chosen.add(live.remove(i));
                    data.remove(i);
                }
                alloc.deallocBulk(chosen);
                for (Slice s : chosen) {
                    oracle.release(s.offset(), GhostTreeLayout.blockSize(s.length()));
                }
            } else {
                alloc.close();
                alloc = GhostTreeAllocator.open(BStack.open(file, UNSYNCED));
                for (int i = 0; i < live.size(); i++) {
                    live.set(i, alloc.slice(live.get(i).offset(), live.get(i).length()));
                }
            }
        }

        private void keep(Slice s) throws IOException {
            byte[] content = new byte[(int) s.length()];
            random.nextBytes(content);
            s.write(content);
            live.add(s);
            data.add(content);
        }

        private void checkAll() throws IOException {
            AllocatorReport report = alloc.verify();
            assertTrue(report.structureValid(), report::toString);
            assertEquals(oracle.freeBytes(), report.freeBytes(), "free bytes");
            assertEquals(oracle.largest(), report.largestFreeBlock(), "largest free block");
            for (int i = 0; i < live.size(); i++) {
                assertArrayEquals(data.get(i), live.get(i).read(), "live " + live.get(i));
            }
        }
    }
}
