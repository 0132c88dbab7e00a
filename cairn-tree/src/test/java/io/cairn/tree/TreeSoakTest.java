package io.cairn.tree;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Long runs of the model and concurrency tests, excluded from the default build (run with {@code -Psoak}).
 * Parameters: {@code -Dcairn.soak.seeds=N} model seeds (default 40), {@code -Dcairn.soak.ops=N} operations per
 * seed (default 60,000), {@code -Dcairn.soak.rounds=N} concurrency rounds (default 10).
 */
@Tag("soak")
class TreeSoakTest {
    @Test
    void manyModelSeedsWithSmallAndRealFrames() {
        int seeds = Integer.getInteger("cairn.soak.seeds", 40);
        int ops = Integer.getInteger("cairn.soak.ops", 60_000);
        for (long seed = 1_000; seed < 1_000 + seeds; seed++) {
            TreeOptions options = seed % 4 == 0
                    ? TreeOptions.defaults()
                    : TreeOptions.defaults().frameSize(8192 << (seed % 3));
            TreeModelTest.run(seed, options, ops);
        }
    }

    @Test
    void repeatedConcurrencyRounds() throws Exception {
        int rounds = Integer.getInteger("cairn.soak.rounds", 10);
        for (int r = 0; r < rounds; r++) {
            ConcurrentTreeTest.run(r % 2 == 0 ? 8192 : 524_288, 100_000);
        }
    }
}
