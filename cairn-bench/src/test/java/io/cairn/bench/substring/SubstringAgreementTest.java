package io.cairn.bench.substring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every substring engine gives the same answers on a small corpus, so the benchmark compares like with like. */
class SubstringAgreementTest {

    @Test
    void everyEngineFindsTheSameOccurrences() throws IOException {
        List<String> lines = DocText.lines(96 << 10);
        List<String> queries = DocText.queries(lines);
        assertTrue(DocText.bytes(lines) >= 96 << 10);
        IndexOfEngine reference = new IndexOfEngine(lines);
        for (String name : SubstringEngine.NAMES) {
            SubstringEngine engine = SubstringEngine.build(name, lines);
            for (String query : queries) {
                assertEquals(reference.contains(query), engine.contains(query), name + " contains " + query);
                assertArrayEquals(reference.occurrences(query), engine.occurrences(query), name + " " + query);
            }
        }
    }
}
