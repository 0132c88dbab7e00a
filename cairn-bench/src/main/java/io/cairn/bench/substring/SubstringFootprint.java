package io.cairn.bench.substring;

import io.cairn.dict.Scdawg;
import io.cairn.dict.SuffixAutomaton;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * Heap bytes per input byte of each substring engine built from at least {@code MiB} (argument 1, default 10) of
 * /usr/share/doc lines, each measured as the heap retained after a full collection, with Cairn's own count of its
 * arrays beside it, and the suffix automaton's states and edges against the SCDAWG's nodes and edges (sizes are not
 * timings, so this is a plain program): {@code java -Xmx8g -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*'
 * io.cairn.bench.substring.SubstringFootprint 10}.
 */
public final class SubstringFootprint {
    private SubstringFootprint() {}

    public static void main(String[] args) throws IOException {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> lines = DocText.lines((long) megabytes << 20);
        long input = DocText.bytes(lines);
        System.out.printf("%,d lines, %,d bytes of UTF-8 from %s%n", lines.size(), input, DocText.ROOT);
        for (String name : SubstringEngine.NAMES) {
            long before = retained();
            long start = System.nanoTime();
            SubstringEngine engine = SubstringEngine.build(name, lines);
            long millis = (System.nanoTime() - start) / 1_000_000;
            engine.occurrences("the"); // builds an index that is made on first use
            long bytes = retained() - before;
            String own = engine instanceof CairnSubstringEngine cairn ? describe(cairn) : "";
            System.out.printf("%-17s %,15d bytes  %7.2f bytes/input byte  built in %,d ms%s%n", name, bytes,
                    (double) bytes / input, millis, own);
            engine.contains(""); // keeps the engine reachable until it was weighed
        }
    }

    private static String describe(CairnSubstringEngine engine) {
        if (engine.index instanceof SuffixAutomaton automaton) {
            return String.format("  (arrays %,d bytes; %,d states, %,d edges)", automaton.footprint(),
                    automaton.stateCount(), automaton.edgeCount());
        }
        Scdawg scdawg = (Scdawg) engine.index;
        return String.format("  (arrays %,d bytes; %,d nodes, %,d right + %,d left edges)", scdawg.footprint(),
                scdawg.nodeCount(), scdawg.rightEdgeCount(), scdawg.leftEdgeCount());
    }

    /** Heap in use after a few full collections. */
    private static long retained() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
