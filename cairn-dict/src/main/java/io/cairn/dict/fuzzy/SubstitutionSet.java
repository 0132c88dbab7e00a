package io.cairn.dict.fuzzy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Substitutions a fuzzy search treats as cheaper than an ordinary edit: "these characters are easily confused,
 * count them as (nearly) the same". Each rule names two strings that may stand for each other, both ways, at a
 * cost of 0 or 1 edits:
 * <ul>
 *   <li>one character for one ({@code "c"} ↔ {@code "k"}) at cost 0: a free substitution. (At cost 1 it is no
 *       cheaper than any substitution, so only cost 0 changes anything.)</li>
 *   <li>one character for two ({@code "m"} ↔ {@code "rn"}), at cost 0 or 1: the query's "m" matches the term's
 *       "rn" and the other way round. This is a merge or split restricted to the listed characters, so it works
 *       with every {@link Algorithm}; with {@link Algorithm#MERGE_AND_SPLIT} a cost-1 rule adds nothing.</li>
 * </ul>
 * Longer strings, and two characters for two, are not supported (the automaton would need more pending state per
 * rule than the bit-parallel simulation keeps); {@link #with} rejects them.
 *
 * <p>Distances are then those of the weighted dynamic program: a substitution costs 0 where a cost-0 rule pairs
 * the two characters, and a transposition swaps two characters that each match or substitute at cost 0. Rules are
 * case-sensitive; with {@link FuzzyQuery#ignoreCase()} the query, the terms and the rules are all case-folded
 * first. Sets are immutable.
 *
 * <pre>{@code
 * Levenshtein.query(words, "rnodern").maxDistance(1).substitutions(SubstitutionSet.OCR).list(); // modern, 0
 * }</pre>
 */
public final class SubstitutionSet {

    /** No rules: the plain algorithms. */
    public static final SubstitutionSet NONE = new SubstitutionSet(List.of());

    /**
     * Letters that sound alike in English spelling: c/k/q/s, s/z, g/j, i/y, and f ↔ ph, f ↔ gh, k ↔ ck,
     * k ↔ ch, x ↔ ks, w ↔ wh (all cost 0, lower case).
     */
    public static final SubstitutionSet PHONETIC = ofPairs("ck", "cs", "kq", "sz", "gj", "iy")
            .with("f", "ph", 0).with("f", "gh", 0).with("k", "ck", 0).with("k", "ch", 0).with("x", "ks", 0)
            .with("w", "wh", 0);

    /** Adjacent letter keys of a US QWERTY keyboard (horizontal and diagonal neighbours), lower case, cost 0. */
    public static final SubstitutionSet KEYBOARD_QWERTY = ofPairs(Qwerty.adjacentPairs());

    /**
     * Characters optical character recognition confuses: 0/O/o, 1/l/I, 5/S, 8/B, 2/Z, 6/G, and the multi-character
     * shapes m ↔ rn, d ↔ cl, w ↔ vv, u ↔ ii, h ↔ li, m ↔ nn (all cost 0).
     */
    public static final SubstitutionSet OCR = ofPairs("0O", "0o", "Oo", "1l", "1I", "lI", "5S", "8B", "2Z", "6G")
            .with("m", "rn", 0).with("d", "cl", 0).with("w", "vv", 0).with("u", "ii", 0).with("h", "li", 0)
            .with("m", "nn", 0);

    /** Leetspeak digits and signs for letters: a/4/@, e/3, i/1/!, l/1, o/0, s/5/$, t/7, b/8, g/9, z/2 (cost 0). */
    public static final SubstitutionSet LEET = ofPairs("a4", "a@", "e3", "i1", "i!", "l1", "o0", "s5", "s$", "t7",
            "b8", "g9", "z2");

    /** One rule: {@code single} ↔ {@code other} (one or two code points) at {@code cost}. */
    record Rule(int single, int[] other, int cost) {
        boolean isPair() {
            return other.length == 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rule r && single == r.single && cost == r.cost && Arrays.equals(other, r.other);
        }

        @Override
        public int hashCode() {
            return (single * 31 + Arrays.hashCode(other)) * 31 + cost;
        }

        @Override
        public String toString() {
            return new String(new int[] {single}, 0, 1) + " " + new String(other, 0, other.length) + " " + cost;
        }
    }

    private final List<Rule> rules;

    private SubstitutionSet(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Pairs of single characters that substitute for each other at cost 0, each given as a string of exactly two
     * code points: {@code ofPairs("ck", "sz")} makes c ↔ k and s ↔ z free.
     *
     * @throws IllegalArgumentException if a pair is not two code points
     */
    public static SubstitutionSet ofPairs(String... pairs) {
        Objects.requireNonNull(pairs, "pairs");
        SubstitutionSet set = NONE;
        for (String pair : pairs) {
            Objects.requireNonNull(pair, "pair");
            int[] characters = pair.codePoints().toArray();
            if (characters.length != 2) {
                throw new IllegalArgumentException("a pair is two code points, got \"" + pair + "\" ("
                        + characters.length + ")");
            }
            set = set.with(new String(characters, 0, 1), new String(characters, 1, 1), 0);
        }
        return set;
    }

    /**
     * This set and the rule {@code a} ↔ {@code b} at {@code cost}: one of the two is a single code point, the
     * other one or two.
     *
     * @throws IllegalArgumentException if the strings are not one and one-or-two code points, are equal, or the
     *     cost is not 0 or 1
     */
    public SubstitutionSet with(String a, String b, int cost) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        int[] left = a.codePoints().toArray();
        int[] right = b.codePoints().toArray();
        if (left.length > right.length || left.length == 1 && right.length == 1 && left[0] > right[0]) {
            int[] swap = left;
            left = right;
            right = swap;
        }
        if (left.length != 1 || right.length < 1 || right.length > 2) {
            throw new IllegalArgumentException("a substitution replaces one character by one or two, got \"" + a
                    + "\" <-> \"" + b + "\"");
        }
        if (Arrays.equals(left, right)) {
            throw new IllegalArgumentException("a substitution needs two different strings, got \"" + a + "\" twice");
        }
        if (cost != 0 && cost != 1) {
            throw new IllegalArgumentException("a substitution costs 0 or 1 edits, got " + cost + " for \"" + a
                    + "\" <-> \"" + b + "\"");
        }
        Set<Rule> merged = new LinkedHashSet<>(rules);
        merged.add(new Rule(left[0], right, cost));
        return new SubstitutionSet(new ArrayList<>(merged));
    }

    /** The rules of both sets. */
    public SubstitutionSet union(SubstitutionSet other) {
        Set<Rule> merged = new LinkedHashSet<>(rules);
        merged.addAll(Objects.requireNonNull(other, "other").rules);
        return new SubstitutionSet(new ArrayList<>(merged));
    }

    /**
     * Reads a set from a UTF-8 text file, one rule a line: two strings and an optional cost (0 if absent), separated
     * by spaces or tabs, e.g. {@code rn m} or {@code ph f 1}. Blank lines and lines starting with {@code #} are
     * skipped; {@code \s}, {@code \t}, {@code \#} and {@code \\} stand for a space, a tab, '#' and a backslash.
     *
     * @throws IllegalArgumentException naming the file and line if a line is not a valid rule
     */
    public static SubstitutionSet read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        SubstitutionSet set = NONE;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("[ \t]+");
            try {
                if (fields.length < 2 || fields.length > 3) {
                    throw new IllegalArgumentException("expected 'FROM TO [COST]', found " + fields.length
                            + " fields");
                }
                int cost = fields.length == 3 ? Integer.parseInt(fields[2]) : 0;
                set = set.with(unescape(fields[0]), unescape(fields[1]), cost);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return set;
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == field.length()) {
                throw new IllegalArgumentException("a backslash ends \"" + field + "\"");
            }
            out.append(switch (field.charAt(i)) {
                case 's' -> ' ';
                case 't' -> '\t';
                case '#' -> '#';
                case '\\' -> '\\';
                default -> throw new IllegalArgumentException("unknown escape \\" + field.charAt(i) + " in \""
                        + field + "\"");
            });
        }
        return out.toString();
    }

    /** How many rules the set holds. */
    public int size() {
        return rules.size();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    List<Rule> rules() {
        return rules;
    }

    /** The same rules over case-folded characters (duplicates merged; a rule folding to a no-op dropped). */
    SubstitutionSet folded() {
        Set<Rule> folded = new LinkedHashSet<>();
        for (Rule rule : rules) {
            int single = CaseFolding.fold(rule.single());
            int[] other = CaseFolding.fold(rule.other());
            if (other.length > 1 || other[0] != single) {
                folded.add(new Rule(single, other, rule.cost()));
            }
        }
        return new SubstitutionSet(new ArrayList<>(folded));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubstitutionSet s && Set.copyOf(rules).equals(Set.copyOf(s.rules));
    }

    @Override
    public int hashCode() {
        return Set.copyOf(rules).hashCode();
    }

    @Override
    public String toString() {
        return "SubstitutionSet" + rules;
    }
}
