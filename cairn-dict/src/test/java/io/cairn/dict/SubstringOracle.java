package io.cairn.dict;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Brute force over a list of texts: every distinct substring and every occurrence of one, by scanning. The oracle
 * the substring indexes are tested against; shares no code with them. Texts may be null (removed).
 */
public final class SubstringOracle {
    private final List<String> texts;
    private final Alphabet alphabet;

    public SubstringOracle(List<String> texts, Alphabet alphabet) {
        this.texts = texts;
        this.alphabet = alphabet;
    }

    /** The units of {@code s}: UTF-8 bytes or code points. */
    private int[] units(String s) {
        if (alphabet == Alphabet.CODE_POINTS) {
            return s.codePoints().toArray();
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int[] units = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            units[i] = bytes[i] & 0xFF;
        }
        return units;
    }

    /** Every distinct substring made of whole characters, "" included if there is a text, in unit order. */
    public List<String> substrings() {
        TreeSet<String> all = new TreeSet<>(UnitOrder.ORDER);
        for (String text : texts) {
            if (text == null) {
                continue;
            }
            all.add("");
            int[] cps = text.codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                for (int j = i + 1; j <= cps.length; j++) {
                    all.add(new String(cps, i, j - i));
                }
            }
        }
        return List.copyOf(all);
    }

    /** Every occurrence of {@code pattern}, by text then offset in alphabet units. */
    public List<Occurrence> occurrences(String pattern) {
        List<Occurrence> found = new ArrayList<>();
        int[] p = units(pattern);
        for (int id = 0; id < texts.size(); id++) {
            if (texts.get(id) == null) {
                continue;
            }
            int[] t = units(texts.get(id));
            for (int start = 0; start + p.length <= t.length; start++) {
                boolean match = true;
                for (int k = 0; k < p.length && match; k++) {
                    match = t[start + k] == p[k];
                }
                if (match) {
                    found.add(new Occurrence(id, start));
                }
            }
        }
        return found;
    }

    /** A random text of up to {@code maxLength} characters drawn from {@code letters}. */
    public static String randomText(Random random, String letters, int maxLength) {
        int[] cps = letters.codePoints().toArray();
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            text.appendCodePoint(cps[random.nextInt(cps.length)]);
        }
        return text.toString();
    }
}
