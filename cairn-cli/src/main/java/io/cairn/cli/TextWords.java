package io.cairn.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a line of text as a spell checker sees them: runs of letters, with apostrophes inside a word kept
 * ("don't", "it’s"); digits, punctuation and spaces separate words. Offsets count characters (code points).
 */
final class TextWords {
    private TextWords() {}

    /** A word and its offset in code points from the start of the line. */
    record Word(String text, int offset) {}

    /** The words of {@code line} from char index {@code from} on. */
    static List<Word> of(String line, int from) {
        List<Word> words = new ArrayList<>();
        int i = from;
        while (i < line.length()) {
            int c = line.codePointAt(i);
            if (!Character.isLetter(c)) {
                i += Character.charCount(c);
                continue;
            }
            int start = i;
            int end = i;
            while (end < line.length()) {
                int d = line.codePointAt(end);
                if (Character.isLetter(d)) {
                    end += Character.charCount(d);
                } else if (isApostrophe(d) && end + 1 < line.length() && Character.isLetter(line.codePointAt(end + 1))) {
                    end++;
                } else {
                    break;
                }
            }
            words.add(new Word(line.substring(start, end), line.codePointCount(0, start)));
            i = end;
        }
        return words;
    }

    private static boolean isApostrophe(int c) {
        return c == '\'' || c == '\u2019';
    }
}
