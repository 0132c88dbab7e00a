package io.cairn.dict.fuzzy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** The word list the oracle tests run on: /usr/share/dict/words, or a seeded synthetic list where it is missing. */
final class WordList {
    private WordList() {}

    static final Path SYSTEM_WORDS = Path.of("/usr/share/dict/words");

    private static List<String> words;

    static synchronized List<String> words() {
        if (words == null) {
            words = load();
        }
        return words;
    }

    private static List<String> load() {
        if (Files.isReadable(SYSTEM_WORDS)) {
            try {
                return List.copyOf(new TreeSet<>(Files.readAllLines(SYSTEM_WORDS, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        System.out.println("WordList: " + SYSTEM_WORDS + " is missing (install the wamerican package); "
                + "using 60,000 synthetic words instead");
        Random random = new Random(4242);
        String letters = "eeeeaaaiiioonnrrsstlcudpmhgbfywkvxzqjéü";
        TreeSet<String> synthetic = new TreeSet<>();
        while (synthetic.size() < 60_000) {
            int length = 2 + random.nextInt(10);
            StringBuilder word = new StringBuilder();
            for (int i = 0; i < length; i++) {
                word.append(letters.charAt(random.nextInt(letters.length())));
            }
            synthetic.add(word.toString());
        }
        return List.copyOf(synthetic);
    }
}
