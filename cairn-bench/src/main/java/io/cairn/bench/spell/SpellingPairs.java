package io.cairn.bench.spell;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The (misspelling, intended word) pairs of the spelling comparison, from {@code misspellings.tsv} beside this
 * class: well-known English misspellings written down by hand, and single-edit typos of frequent words that
 * {@link #main} generates (run it to see them; the file holds its output for seed {@value #SEED}).
 */
final class SpellingPairs {
    static final long SEED = 20261207L;
    static final int TYPOS = 160;

    /** A pair: the misspelling, the word meant, and where it comes from ("common" or the typo's kind). */
    record Pair(String misspelling, String intended, String source) {}

    private SpellingPairs() {}

    /** The pairs of the committed file. */
    static List<Pair> load() throws IOException {
        List<Pair> pairs = new ArrayList<>();
        try (InputStream in = SpellingPairs.class.getResourceAsStream("misspellings.tsv")) {
            if (in == null) {
                throw new IOException("misspellings.tsv is missing from the classpath");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != 3) {
                    throw new IOException("misspellings.tsv: expected 3 tab-separated fields, got: " + line);
                }
                pairs.add(new Pair(fields[0], fields[1], fields[2]));
            }
        }
        return pairs;
    }

    /** The letter keys next to each letter key on a US QWERTY keyboard (rows staggered as on a real one). */
    private static final Map<Character, String> NEIGHBOURS = neighbours("a:qswz b:ghnv c:dfvx d:cefrsx e:drsw "
            + "f:cdgrtv g:bfhtvy h:bgjnuy i:jkou j:hikmnu k:ijlmo l:kop m:jkn n:bhjm o:iklp p:lo q:aw r:deft "
            + "s:adewxz t:fgry u:hijy v:bcfg w:aeqs x:cdsz y:ghtu z:asx");

    private static Map<Character, String> neighbours(String table) {
        Map<Character, String> map = new TreeMap<>();
        for (String entry : table.split(" ")) {
            map.put(entry.charAt(0), entry.substring(2));
        }
        return map;
    }

    /**
     * Prints {@value #TYPOS} typos of frequent words (SCOWL class 10, four to ten lower-case letters, in
     * /usr/share/dict/words), the four kinds in turn: a neighbouring key instead of a letter, a neighbouring key
     * pressed too, a letter left out, two letters swapped. A typo that is itself a word (in /usr/share/dict/words
     * or in SCOWL up to class 60, which is aspell-en's word set) is drawn again.
     */
    public static void main(String[] args) throws IOException {
        WordClasses classes = WordClasses.load();
        Set<String> known = new HashSet<>(Files.readAllLines(Path.of("/usr/share/dict/words"), StandardCharsets.UTF_8));
        List<String> frequent = new ArrayList<>();
        for (String word : known) {
            if (classes.sizeClass(word) == 10 && word.matches("[a-z]{4,10}")) {
                frequent.add(word);
            }
        }
        frequent.sort(null);
        Random random = new Random(SEED);
        String[] kinds = {"key-substitution", "key-insertion", "deletion", "transposition"};
        Set<String> used = new HashSet<>();
        int made = 0;
        while (made < TYPOS) {
            String word = frequent.get(random.nextInt(frequent.size()));
            String kind = kinds[made % kinds.length];
            String typo = typo(word, kind, random);
            int size = classes.sizeClass(typo);
            if (typo.equals(word) || known.contains(typo) || size >= 0 && size <= 60 || !used.add(word)) {
                continue;
            }
            System.out.println(typo + "\t" + word + "\t" + kind);
            made++;
        }
    }

    private static String typo(String word, String kind, Random random) {
        int at = random.nextInt(word.length());
        StringBuilder typo = new StringBuilder(word);
        String keys = NEIGHBOURS.get(word.charAt(at));
        char key = keys.charAt(random.nextInt(keys.length()));
        switch (kind) {
            case "key-substitution" -> typo.setCharAt(at, key);
            case "key-insertion" -> typo.insert(random.nextBoolean() ? at : at + 1, key);
            case "deletion" -> typo.deleteCharAt(at);
            default -> {
                int first = Math.min(at, word.length() - 2);
                typo.setCharAt(first, word.charAt(first + 1));
                typo.setCharAt(first + 1, word.charAt(first));
            }
        }
        return typo.toString();
    }
}
