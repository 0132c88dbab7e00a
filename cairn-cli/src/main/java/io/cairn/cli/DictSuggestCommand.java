package io.cairn.cli;

import io.cairn.dict.fuzzy.Algorithm;
import io.cairn.dict.fuzzy.Levenshtein;
import io.cairn.dict.fuzzy.Suggester;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn dict suggest}: spelling suggestions for words, or for the text on standard input as aspell -a. */
@Command(name = "suggest", mixinStandardHelpOptions = true,
        description = {"Suggest spellings for each WORD from a dictionary image, best first: fewest edits (case "
                + "ignored, a swap of neighbours is one edit), then the heaviest term (a number stored as the "
                + "term's value, e.g. a frequency: 'cairn dict build' of term<TAB>count lines), then the nearest "
                + "keys on a QWERTY keyboard, then code point order.",
                "Prints 'WORD: correct', 'WORD: s1, s2, ...' or 'WORD: no suggestions' per word.",
                "With '-' as the only WORD, checks the text on standard input line by line and answers as "
                        + "'aspell -a' does: a banner line, then per line '*' for a correct word, '& WORD COUNT "
                        + "OFFSET: s1, s2, ...' or '# WORD OFFSET' for a misspelt one (OFFSET in characters from "
                        + "the line's start), and an empty line; a leading '^' marks a line as text.",
                "Exit code: 0 every word correct, 3 some word misspelt, 1 error, 2 usage."},
        footerHeading = "%nJSON fields (--json, not with '-'):%n",
        footer = {"  words                 one object per WORD, in order:",
                "    word                the word",
                "    correct             whether the dictionary spells it so (or capitalised, or in capitals)",
                "    suggestions         best first, each: term, distance (edits), weight (0 without one)"})
final class DictSuggestCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The dictionary image, or a durable dictionary's directory "
            + "(from 'cairn dict build').")
    Path file;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "WORD", description = "The words to check, or '-'.")
    List<String> words;

    @Option(names = {"-d", "--distance"}, defaultValue = "2", paramLabel = "N",
            description = "Suggest terms up to N edits away, 0.." + Levenshtein.MAX_DISTANCE
                    + ". Default: ${DEFAULT-VALUE}.")
    int distance;

    @Option(names = "--algorithm", defaultValue = "transposition", paramLabel = "NAME",
            converter = DictFuzzyCommand.AlgorithmConverter.class,
            description = "standard, transposition or merge-split (see 'cairn dict fuzzy'). Default: "
                    + "${DEFAULT-VALUE}.")
    Algorithm algorithm;

    @Option(names = "--limit", defaultValue = "10", paramLabel = "K",
            description = "At most K suggestions per word. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The '@(#)' banner of the ispell pipe protocol, which tools driving 'aspell -a' wait for. */
    static final String BANNER = "@(#) International Ispell Version 3.1.20 (but really Cairn 0.1.0)";

    @Override
    public Integer call() throws IOException {
        boolean stream = words.equals(List.of("-"));
        if (distance < 0 || distance > Levenshtein.MAX_DISTANCE) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--distance must be in 0.." + Levenshtein.MAX_DISTANCE + ", got " + distance);
        }
        if (limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        if (stream && json.enabled) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--json prints words given as arguments; '-' answers in the aspell -a format");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (DictCommand.Opened opened = DictCommand.open(file)) {
            Suggester speller = Suggester.of(opened.dictionary(), DictSuggestCommand::weight)
                    .withMaxDistance(distance).withAlgorithm(algorithm);
            return stream ? checkStream(speller) : checkWords(speller);
        }
    }

    /** A term's value as a weight: the number it spells, 0 if it spells none. */
    static double weight(String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private int checkWords(Suggester speller) {
        PrintStream out = System.out;
        boolean allCorrect = true;
        JsonWriter writer = json.enabled ? json.writer(out).beginObject().name("words").beginArray() : null;
        for (String word : words) {
            boolean correct = speller.isCorrect(word);
            allCorrect &= correct;
            List<Suggester.Suggestion> suggestions = correct ? List.of() : speller.suggest(word, limit);
            if (writer != null) {
                writer.beginObject().field("word", word).field("correct", correct).name("suggestions").beginArray();
                for (Suggester.Suggestion s : suggestions) {
                    writer.beginObject().field("term", s.term()).field("distance", s.distance())
                            .field("weight", s.weight()).endObject();
                }
                writer.endArray().endObject();
            } else if (correct) {
                out.println(word + ": correct");
            } else {
                out.println(word + ": " + (suggestions.isEmpty() ? "no suggestions"
                        : suggestions.stream().map(Suggester.Suggestion::term).collect(Collectors.joining(", "))));
            }
        }
        if (writer != null) {
            writer.endArray().endObject().end();
        }
        return allCorrect ? 0 : DictCommand.NOT_FOUND;
    }

    /** The ispell pipe protocol over standard input, flushed line by line so an editor can drive it. */
    private int checkStream(Suggester speller) throws IOException {
        PrintStream out = System.out;
        out.println(BANNER);
        out.flush();
        boolean allCorrect = true;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int start = line.startsWith("^") ? 1 : 0;
            for (TextWords.Word word : TextWords.of(line, start)) {
                if (speller.isCorrect(word.text())) {
                    out.println("*");
                    continue;
                }
                allCorrect = false;
                List<Suggester.Suggestion> suggestions = speller.suggest(word.text(), limit);
                if (suggestions.isEmpty()) {
                    out.println("# " + word.text() + " " + word.offset());
                } else {
                    out.println("& " + word.text() + " " + suggestions.size() + " " + word.offset() + ": "
                            + suggestions.stream().map(Suggester.Suggestion::term).collect(Collectors.joining(", ")));
                }
            }
            out.println();
            out.flush();
        }
        return allCorrect ? 0 : DictCommand.NOT_FOUND;
    }
}
