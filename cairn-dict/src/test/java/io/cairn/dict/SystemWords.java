package io.cairn.dict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The word list the dictionary tests run on: {@code /usr/share/dict/words}, read once. */
final class SystemWords {
    private SystemWords() {}

    static final Path PATH = Path.of("/usr/share/dict/words");

    private static List<String> words;

    static synchronized List<String> all() {
        if (words == null) {
            try {
                words = List.copyOf(Files.readAllLines(PATH, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return words;
    }
}
