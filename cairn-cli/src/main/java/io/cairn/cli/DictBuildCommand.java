package io.cairn.cli;

import io.cairn.dict.Dictionaries;
import io.cairn.dict.DurableDictionary;
import io.cairn.dict.ImageBuilder;
import io.cairn.dict.MappedDictionary;
import io.cairn.dict.ValueCodec;
import io.cairn.stack.Durability;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn dict build}: a dictionary image from a word list of any size, in bounded memory. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build a dictionary image from a UTF-8 word list, one term per line (gzip if named .gz).",
                "A line 'term<TAB>value' gives the term a string value (TSV: \\\\, \\t, \\n, \\r escapes); then "
                        + "every line needs one.",
                "Blank lines are skipped; a repeated term keeps its last value.",
                "The list is streamed: input sorted in byte order (LC_ALL=C sort) is read once; other input is "
                        + "read twice and sorted in scratch files beside the image. Memory stays bounded by the "
                        + "size of the minimal DAWG of the terms, whatever their number.",
                "The image is written to a temporary file and renamed over FILE, which must be a new name or a "
                        + "regular file other than the word list. A progress bar is drawn on a terminal.",
                "With --durable DIR instead of -o, the terms go into a durable dictionary in DIR (created if "
                        + "needed, added to if it exists), UTF-8 bytes, in atomic batches of up to 16,384 terms "
                        + "forced at the end: an interrupted build keeps a prefix of the batches. 'dict lookup', "
                        + "'dict fuzzy' and 'dict suggest' search DIR in place."},
        footerHeading = "%nJSON fields (--json):%n",
        footer = {"  output    the image (or durable dictionary directory) written",
                "  type      dat, dawg or durable", "  alphabet  bytes or codepoints",
                "  terms     how many terms it holds", "  added     how many of them the build added",
                "  valued    whether its terms have values", "  bytes     the image's (directory's) size in bytes",
                "  millis    how long the build took"})
final class DictBuildCommand implements Callable<Integer> {
    @Option(names = "--type", defaultValue = "dat",
            description = "dat (double-array trie: fastest lookups) or dawg (minimal DAWG: smallest). Default: "
                    + "${DEFAULT-VALUE}.")
    DictCommand.Type type;

    @Option(names = "--alphabet", defaultValue = "bytes",
            description = "bytes (UTF-8) or codepoints (one edge per character). Default: ${DEFAULT-VALUE}.")
    DictCommand.AlphabetName alphabet;

    @Parameters(index = "0", paramLabel = "WORDS.txt", description = "The word list.")
    Path words;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The image to write.")
    Path output;

    @Option(names = "--durable", paramLabel = "DIR",
            description = "Build (or add to) a durable dictionary in DIR instead of writing an image.")
    Path durable;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        if ((output == null) == (durable == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give exactly one of -o FILE (an image) and --durable DIR (a durable dictionary)");
        }
        InputFiles.existing(words, "a word list");
        if (durable != null) {
            return buildDurable();
        }
        Path outputDirectory = output.toAbsolutePath().getParent();
        if (outputDirectory != null && !Files.isDirectory(outputDirectory)) {
            throw new NoSuchFileException(outputDirectory.toString(), null,
                    "the directory for " + output + " does not exist");
        }
        if (Files.exists(output) && Files.isSameFile(words, output)) {
            throw new IllegalArgumentException("refusing to write the image over its own input " + words
                    + " (-o names the word list)");
        }
        long start = System.nanoTime();
        ImageBuilder builder = type == DictCommand.Type.dat ? ImageBuilder.doubleArrayTrie(alphabet.alphabet)
                : ImageBuilder.dawg(alphabet.alphabet);
        boolean valued;
        ImageBuilder.Report report;
        try (Progress progress = Progress.staged("")) {
            valued = firstLineHasValue();
            builder.progress(progress);
            report = valued ? builder.buildEntries(output, this::entries, ValueCodec.strings())
                    : builder.build(output, this::terms);
        } catch (UncheckedIOException e) { // a line the list reader could not read: its message names the line
            throw new IllegalArgumentException(e.getMessage(), e.getCause());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (json.enabled) {
            json.writer(System.out).beginObject().field("output", output.toString()).field("type", type.name())
                    .field("alphabet", alphabet.name()).field("terms", report.terms()).field("valued", valued)
                    .field("bytes", report.bytes()).field("millis", millis).endObject().end();
            return 0;
        }
        System.out.printf("built %s (%s) of %,d terms%s in %,d ms: %s, %,d bytes (%.1f bytes/term)%n",
                type == DictCommand.Type.dat ? "double-array trie" : "DAWG", alphabet, report.terms(),
                valued ? " with values" : "", millis, output, report.bytes(),
                report.terms() == 0 ? 0.0 : (double) report.bytes() / report.terms());
        return 0;
    }

    /** Adds the list's terms (and values, as UTF-8 bytes) to the durable dictionary in {@link #durable}. */
    private int buildDurable() throws IOException {
        checkDurableTarget();
        long start = System.nanoTime();
        boolean valued = firstLineHasValue();
        long added = 0;
        long terms;
        try (DurableDictionary dictionary = DurableDictionary.open(durable,
                TreeOptions.defaults().durability(Durability.ASYNC));
                Progress progress = Progress.start("dict build", Files.size(words), " MiB", 1 << 20);
                Stream<MappedDictionary.Entry<String>> entries = valued ? entries()
                        : terms().map(t -> new MappedDictionary.Entry<>(t, null))) {
            Map<String, byte[]> batch = new LinkedHashMap<>();
            Iterator<MappedDictionary.Entry<String>> it = entries.iterator();
            while (it.hasNext()) {
                MappedDictionary.Entry<String> e = it.next();
                batch.put(e.term(), e.value() == null ? null : e.value().getBytes(StandardCharsets.UTF_8));
                progress.stepBy(e.term().length() + 1 + (e.value() == null ? 0 : e.value().length() + 1));
                if (batch.size() == DurableDictionary.MAX_BATCH_TERMS || !it.hasNext()) {
                    added += valued ? dictionary.insertBatchWithValues(batch) : dictionary.insertBatch(batch.keySet());
                    batch.clear();
                }
            }
            dictionary.sync();
            terms = dictionary.size();
        } catch (UncheckedIOException e) { // a line the list reader could not read: its message names the line
            throw new IllegalArgumentException(e.getMessage(), e.getCause());
        }
        long bytes = DictCommand.directoryBytes(durable);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (json.enabled) {
            json.writer(System.out).beginObject().field("output", durable.toString()).field("type", "durable")
                    .field("alphabet", "bytes").field("terms", terms).field("added", added).field("valued", valued)
                    .field("bytes", bytes).field("millis", millis).endObject().end();
            return 0;
        }
        System.out.printf("built durable dictionary %s: %,d terms (%,d added)%s in %,d ms, %,d bytes on disk%n",
                durable, terms, added, valued ? " with values" : "", millis, bytes);
        return 0;
    }

    /**
     * Refuses a {@code --durable} target that is not a directory, or a directory that holds files but no durable
     * dictionary (the build would create one among them), before anything is written.
     */
    private void checkDurableTarget() throws IOException {
        if (!Files.exists(durable)) {
            return;
        }
        if (!Files.isDirectory(durable)) {
            throw new IllegalArgumentException("refusing to build a durable dictionary in " + durable
                    + ", which is not a directory (--durable names a new or existing durable dictionary's directory)");
        }
        try (Stream<Path> entries = Files.list(durable)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        }
        try (DurableDictionary existing = DurableDictionary.openReadOnly(durable)) {
            // it holds a durable dictionary: the build adds to it
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("refusing to build a durable dictionary in " + durable
                    + ", a directory that holds other files and no durable dictionary");
        }
    }

    /** Whether the first line that is not blank holds a tab, which makes the list TSV. */
    private boolean firstLineHasValue() throws IOException {
        try (Stream<String> lines = Dictionaries.readTerms(words)) {
            return lines.filter(line -> !line.isBlank()).findFirst().map(line -> line.indexOf('\t') >= 0)
                    .orElse(false);
        }
    }

    /** The plain terms; a line with a tab after plain lines is an error naming it. */
    private Stream<String> terms() throws IOException {
        long[] line = {0};
        return Dictionaries.readTerms(words).filter(term -> {
            line[0]++;
            if (term.indexOf('\t') >= 0) {
                throw new IllegalArgumentException("line " + line[0] + " of " + words
                        + " has a value but earlier lines have none");
            }
            return !term.isBlank();
        });
    }

    /** The TSV entries; a line without a value after valued lines is an error naming it. */
    private Stream<MappedDictionary.Entry<String>> entries() throws IOException {
        long[] line = {0};
        return Dictionaries.readEntries(words).filter(entry -> {
            line[0]++;
            if (entry.value() == null && !entry.term().isBlank()) {
                throw new IllegalArgumentException("line " + line[0] + " of " + words
                        + " has no value but earlier lines have one");
            }
            return entry.value() != null;
        });
    }
}
