package io.cairn.cli;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dictionaries;
import io.cairn.dict.DurableDictionary;
import io.cairn.dict.MappedDictionary;
import io.cairn.dict.ValueCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cairn dict}: build dictionary images from word lists and look terms up in them. */
@Command(name = "dict", mixinStandardHelpOptions = true,
        description = {"Build dictionary images (double-array trie or DAWG) or durable dictionaries, look terms up, "
                + "list and describe them.", "Every command that reads a dictionary takes an image file or a durable "
                + "dictionary's directory (dict build --durable DIR)."},
        subcommands = {DictBuildCommand.class, DictCommand.Lookup.class, DictFuzzyCommand.class,
                DictSuggestCommand.class, DictLsCommand.class, DictInfoCommand.class})
final class DictCommand extends CommandGroup {
    /** Exit code of {@code lookup} when the term is absent (1 is an error, 2 bad usage). */
    static final int NOT_FOUND = 3;

    /** The dictionary image {@code file}, with string values if it has values. */
    static MappedDictionary<String> load(Path file) throws IOException {
        return InputFiles.openExisting(file, InputFiles.Kind.DICTIONARY,
                f -> Dictionaries.load(f, ValueCodec.strings()));
    }

    /**
     * A dictionary a command was given: an image file, or the directory of a durable dictionary (opened read-only,
     * beside other readers, searched in place; values read as UTF-8). Close it when done.
     */
    static Opened open(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return new Opened(load(path), null);
        }
        DurableDictionary durable = openDurable(path);
        return new Opened(new StringValues(durable), durable);
    }

    /**
     * The durable dictionary in the directory {@code path}, opened read-only (beside other readers, nothing written);
     * a directory that holds none is refused naming it. Close it when done.
     */
    static DurableDictionary openDurable(Path path) throws IOException {
        try {
            return DurableDictionary.openReadOnly(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(path + " is a directory, not a dictionary image or a durable "
                    + "dictionary");
        }
    }

    /** The bytes of the files in a durable dictionary's directory (its frames, manifest and log). */
    static long directoryBytes(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** An opened dictionary and the durable handle to close with it (null for an image). */
    record Opened(MappedDictionary<String> dictionary, DurableDictionary durable) implements AutoCloseable {
        @Override
        public void close() {
            if (durable != null) {
                durable.close();
            }
        }
    }

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

    @Command(name = "lookup", mixinStandardHelpOptions = true,
            description = {"Look a term up in a dictionary image; print its value if it has one.",
                    "Exit code: 0 found, 3 not found, 1 error (missing or corrupt file)."},
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  term   the term looked up", "  found  whether the dictionary holds it",
                    "  value  its value, or null when it has none or is absent"})
    static final class Lookup implements Callable<Integer> {
        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "FILE", description = "The dictionary image, or a durable dictionary's "
                + "directory.")
        Path file;

        @Parameters(index = "1", paramLabel = "TERM", description = "The term to look up.")
        String term;

        @Override
        public Integer call() throws IOException {
            boolean found;
            String value;
            try (Opened opened = DictCommand.open(file)) {
                found = opened.dictionary().contains(term);
                value = found ? opened.dictionary().getValue(term) : null;
            }
            if (json.enabled) {
                json.writer(System.out).beginObject().field("term", term).field("found", found)
                        .field("value", value).endObject().end();
            } else if (found) {
                System.out.println("found: " + term + (value == null ? "" : "\t" + value));
            } else {
                System.out.println("not found: " + term);
            }
            return found ? 0 : NOT_FOUND;
        }
    }
}
