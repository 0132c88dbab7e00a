package io.cairn.bench.spell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How common each English word is, from SCOWL (Debian package {@code scowl}, /usr/share/dict/scowl): SCOWL sorts
 * its American and international English lists into size classes 10 (the most common words) to 95 (the rarest),
 * so a word's class is a coarse frequency. {@code /usr/share/dict/words} (wamerican) is SCOWL up to class 50, and
 * aspell's en dictionary up to 60.
 */
final class WordClasses {
    static final Path SCOWL = Path.of("/usr/share/dict/scowl");

    private final Map<String, Integer> classes;

    private WordClasses(Map<String, Integer> classes) {
        this.classes = classes;
    }

    /** The classes of the English and American lists (words, proper names, upper-case words, contractions...). */
    static WordClasses load() throws IOException {
        if (!Files.isDirectory(SCOWL)) {
            throw new IOException(SCOWL + " is missing: install the Debian package scowl (apt-get install scowl)");
        }
        Map<String, Integer> classes = new HashMap<>();
        try (DirectoryStream<Path> lists = Files.newDirectoryStream(SCOWL, "{english,american}-*.[0-9]*")) {
            for (Path list : lists) {
                String name = list.getFileName().toString();
                int size = Integer.parseInt(name.substring(name.lastIndexOf('.') + 1));
                for (String word : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                    classes.merge(word, size, Math::min);
                }
            }
        }
        return new WordClasses(classes);
    }

    /** The word's size class (10 most common .. 95), or -1 if no list holds it. */
    int sizeClass(String word) {
        return classes.getOrDefault(word, -1);
    }

    /** A weight for ranking: 100 minus the class (90 for the commonest words), 0 for a word in no list. */
    long weight(String word) {
        int size = sizeClass(word);
        return size < 0 ? 0 : 100 - size;
    }
}
