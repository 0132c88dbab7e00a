package io.cairn.cli;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.Dictionaries;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.MappedDictionary;
import io.cairn.dict.ValueCodec;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn dict}: build dictionary images from word lists and look terms up in them. */
@Command(name = "dict", mixinStandardHelpOptions = true,
        description = "Build dictionary images (double-array trie or DAWG) and look terms up in them.",
        subcommands = {DictCommand.Build.class, DictCommand.Lookup.class, DictFuzzyCommand.class,
                DictSuggestCommand.class})
final class DictCommand extends CommandGroup {
    /** Exit code of {@code lookup} when the term is absent (1 is an error, 2 bad usage). */
    static final int NOT_FOUND = 3;

    /** The dictionary kinds {@code build} writes. */
    enum Type { dat, dawg }

    /** The alphabets, as named on the command line. */
    enum AlphabetName {
        bytes(Alphabet.UTF8_BYTES), codepoints(Alphabet.CODE_POINTS);

        final Alphabet alphabet;

        AlphabetName(Alphabet alphabet) {
            this.alphabet = alphabet;
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build a dictionary image from a UTF-8 word list, one term per line.",
                    "A line 'term<TAB>value' gives the term a string value; then every line needs one.",
                    "Blank lines are skipped; a repeated term keeps its last value."})
    static final class Build implements Callable<Integer> {
        @Option(names = "--type", defaultValue = "dat",
                description = "dat (double-array trie: fastest lookups) or dawg (minimal DAWG: smallest). Default: ${DEFAULT-VALUE}.")
        Type type;

        @Option(names = "--alphabet", defaultValue = "bytes",
                description = "bytes (UTF-8) or codepoints (one edge per character). Default: ${DEFAULT-VALUE}.")
        AlphabetName alphabet;

        @Parameters(index = "0", paramLabel = "WORDS.txt", description = "The word list.")
        Path words;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The image to write.")
        Path output;

        @Override
        public Integer call() throws IOException {
            if (!Files.exists(words)) {
                throw new NoSuchFileException(words.toString());
            }
            if (Files.exists(output) && Files.isSameFile(words, output)) {
                throw new IllegalArgumentException("refusing to write the image over its own input " + words
                        + " (-o names the word list)");
            }
            long start = System.nanoTime();
            List<Map.Entry<String, String>> entries = new ArrayList<>();
            List<String> terms = new ArrayList<>();
            readWordList(words, terms, entries);
            boolean valued = !entries.isEmpty();
            Alphabet units = alphabet.alphabet;
            long bytes;
            long size;
            if (type == Type.dat) {
                DoubleArrayTrie<String> trie = valued ? DoubleArrayTrie.ofEntries(entries, units)
                        : DoubleArrayTrie.of(terms, units);
                size = trie.size();
                bytes = valued ? trie.save(output, ValueCodec.strings()) : trie.save(output);
            } else {
                Dawg<String> dawg = valued ? Dawg.ofEntries(entries, units) : Dawg.of(terms, units);
                size = dawg.size();
                bytes = valued ? dawg.save(output, ValueCodec.strings()) : dawg.save(output);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("built %s (%s) of %,d terms%s in %,d ms: %s, %,d bytes (%.1f bytes/term)%n",
                    type == Type.dat ? "double-array trie" : "DAWG", alphabet, size, valued ? " with values" : "",
                    millis, output, bytes, size == 0 ? 0.0 : (double) bytes / size);
            return 0;
        }

        /** Splits the lines into plain terms or (term, value) entries; mixing the two is an error. */
        private static void readWordList(Path words, List<String> terms, List<Map.Entry<String, String>> entries)
                throws IOException {
            List<String> lines;
            try {
                lines = Files.readAllLines(words, StandardCharsets.UTF_8);
            } catch (MalformedInputException e) {
                throw new IllegalArgumentException(words + " is not valid UTF-8 text", e);
            }
            Boolean valued = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (valued == null) {
                    valued = tab >= 0;
                } else if (valued != (tab >= 0)) {
                    throw new IllegalArgumentException("line " + (i + 1) + " of " + words
                            + (valued ? " has no value but earlier lines have one"
                                    : " has a value but earlier lines have none"));
                }
                if (tab >= 0) {
                    entries.add(Map.entry(line.substring(0, tab), line.substring(tab + 1)));
                } else {
                    terms.add(line);
                }
            }
        }
    }

    @Command(name = "lookup", mixinStandardHelpOptions = true,
            description = {"Look a term up in a dictionary image; print its value if it has one.",
                    "Exit code: 0 found, 3 not found, 1 error (missing or corrupt file)."})
    static final class Lookup implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The dictionary image.")
        Path file;

        @Parameters(index = "1", paramLabel = "TERM", description = "The term to look up.")
        String term;

        @Override
        public Integer call() throws IOException {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            MappedDictionary<String> dictionary = Dictionaries.load(file, ValueCodec.strings());
            if (!dictionary.contains(term)) {
                System.out.println("not found: " + term);
                return NOT_FOUND;
            }
            String value = dictionary.getValue(term);
            System.out.println("found: " + term + (value == null ? "" : "\t" + value));
            return 0;
        }
    }
}
