package io.cairn.dict.fuzzy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.Alphabet;
import io.cairn.dict.DoubleArrayTrie;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubstitutionSetTest {

    @TempDir
    Path dir;

    private static final DoubleArrayTrie<Object> WORDS = DoubleArrayTrie.of(List.of("modern", "modem", "Paris",
            "paris", "hello", "elite", "photo", "receive", "cloud", "the"), Alphabet.UTF8_BYTES);

    private static List<Candidate> search(String query, int distance, Algorithm algorithm, SubstitutionSet set) {
        return Levenshtein.query(WORDS, query).maxDistance(distance).algorithm(algorithm).substitutions(set).list();
    }

    @Test
    void ocrMakesShapeConfusionsFreeInEveryAlgorithm() {
        for (Algorithm algorithm : Algorithm.values()) {
            assertEquals(List.of(new Candidate("modem", 0), new Candidate("modern", 0)),
                    search("rnodern", 0, algorithm, SubstitutionSet.OCR), "rn stands for m, and m for rn");
            assertEquals(List.of(new Candidate("hello", 0)), search("he11o", 0, algorithm, SubstitutionSet.OCR));
            assertEquals(List.of(new Candidate("cloud", 0)), search("doud", 0, algorithm, SubstitutionSet.OCR),
                    "the query's d stands for the term's cl");
            assertEquals(List.of(), search("rnodern", 0, algorithm, SubstitutionSet.NONE));
        }
    }

    @Test
    void leetPhoneticAndKeyboardPresets() {
        assertEquals(List.of(new Candidate("elite", 0)), search("31it3", 0, Algorithm.STANDARD, SubstitutionSet.LEET));
        assertEquals(List.of(new Candidate("photo", 0)), search("foto", 0, Algorithm.STANDARD,
                SubstitutionSet.PHONETIC));
        // r and t are neighbours, e and p are not.
        assertEquals(List.of(new Candidate("the", 0)), search("rhe", 0, Algorithm.STANDARD,
                SubstitutionSet.KEYBOARD_QWERTY));
        assertEquals(List.of(), search("thp", 0, Algorithm.STANDARD, SubstitutionSet.KEYBOARD_QWERTY));
        assertTrue(SubstitutionSet.KEYBOARD_QWERTY.rules().contains(new SubstitutionSet.Rule('a', new int[] {'s'}, 0)));
        assertFalse(SubstitutionSet.KEYBOARD_QWERTY.rules().contains(new SubstitutionSet.Rule('a', new int[] {'p'}, 0)));
    }

    @Test
    void aCostOneRuleMakesARestrictedMergeOneEdit() {
        SubstitutionSet rnM = SubstitutionSet.NONE.with("rn", "m", 1);
        assertEquals(List.of(new Candidate("modern", 1)), search("rnodern", 1, Algorithm.STANDARD, rnM));
        assertEquals(List.of(), search("rnodern", 1, Algorithm.STANDARD, SubstitutionSet.NONE));
    }

    @Test
    void ignoreCaseKeepsTheDictionarysCasing() {
        assertEquals(List.of(new Candidate("Paris", 0), new Candidate("paris", 0)),
                Levenshtein.query(WORDS, "PARIS").maxDistance(0).ignoreCase().list());
        assertEquals(List.of(new Candidate("receive", 1)),
                Levenshtein.query(WORDS, "RECIEVE").maxDistance(1).algorithm(Algorithm.TRANSPOSITION).ignoreCase()
                        .list());
        assertEquals(List.of(), Levenshtein.query(WORDS, "PARIS").maxDistance(0).list());
        for (Alphabet alphabet : Alphabet.values()) {
            DoubleArrayTrie<Object> accented = DoubleArrayTrie.of(List.of("école", "Ärger", "straße"), alphabet);
            assertEquals(List.of(new Candidate("école", 0)),
                    Levenshtein.query(accented, "ÉCOLE").maxDistance(0).ignoreCase().list());
            assertEquals(List.of(new Candidate("Ärger", 1)),
                    Levenshtein.query(accented, "ärgre").maxDistance(1).algorithm(Algorithm.TRANSPOSITION)
                            .ignoreCase().list());
            assertEquals(List.of(new Candidate("straße", 0)),
                    Levenshtein.query(accented, "STRAẞE").maxDistance(0).ignoreCase().list(),
                    "capital sharp s folds to ß, one character for one");
        }
    }

    @Test
    void pairsAreTwoCodePointsAndRulesOneForOneOrTwo() {
        assertEquals(1, SubstitutionSet.ofPairs("😀x").size());
        assertEquals(SubstitutionSet.ofPairs("ab"), SubstitutionSet.ofPairs("ba"), "a pair works both ways");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SubstitutionSet.ofPairs("abc"));
        assertTrue(e.getMessage().contains("\"abc\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SubstitutionSet.ofPairs("a"));
        assertThrows(IllegalArgumentException.class, () -> SubstitutionSet.NONE.with("ab", "cd", 0));
        assertThrows(IllegalArgumentException.class, () -> SubstitutionSet.NONE.with("a", "bcd", 0));
        assertThrows(IllegalArgumentException.class, () -> SubstitutionSet.NONE.with("a", "a", 0));
        assertThrows(IllegalArgumentException.class, () -> SubstitutionSet.NONE.with("a", "b", 2));
        assertEquals(SubstitutionSet.OCR.size() + SubstitutionSet.LEET.size()
                - SubstitutionSet.LEET.rules().stream().filter(SubstitutionSet.OCR.rules()::contains).count(),
                SubstitutionSet.OCR.union(SubstitutionSet.LEET).size());
    }

    @Test
    void aUserSetIsReadFromAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("set.txt"), """
                # OCR extras
                rn m
                ph\tf 1

                \\s _
                """, StandardCharsets.UTF_8);
        assertEquals(SubstitutionSet.NONE.with("rn", "m", 0).with("ph", "f", 1).with(" ", "_", 0),
                SubstitutionSet.read(file));
        Path bad = Files.writeString(dir.resolve("bad.txt"), "rn m\nabc de\n", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SubstitutionSet.read(bad));
        assertTrue(e.getMessage().startsWith(bad + " line 2: "), e.getMessage());
    }

    @Test
    void aQueryTooLongForItsFreeMultiCharacterRulesIsRefused() {
        String query = "m".repeat(30);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> search(query, 2, Algorithm.STANDARD, SubstitutionSet.OCR));
        assertTrue(e.getMessage().contains("30 query positions"), e.getMessage());
        assertEquals(List.of(), search(query, 2, Algorithm.STANDARD, SubstitutionSet.NONE.with("m", "rn", 1)));
    }
}
