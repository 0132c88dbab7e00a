package io.cairn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The system word list the dictionary demos run on (Debian package wamerican). */
final class SystemWords {
    static final Path PATH = Path.of("/usr/share/dict/words");

    private SystemWords() {}

    /** The words, or null after telling the reader which section is skipped and how to get the list. */
    static List<String> readOrExplain(PrintStream out, String section) throws IOException {
        if (!Files.isReadable(PATH)) {
            out.println("  " + PATH + " is not readable here (apt-get install wamerican); skipping " + section);
            return null;
        }
        return Files.readAllLines(PATH, StandardCharsets.UTF_8);
    }
}
