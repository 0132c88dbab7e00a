package io.cairn.cli;

import io.cairn.dict.MappedDictionary;
import io.cairn.dict.fuzzy.Algorithm;
import io.cairn.dict.fuzzy.Candidate;
import io.cairn.dict.fuzzy.FuzzyQuery;
import io.cairn.dict.fuzzy.Levenshtein;
import io.cairn.dict.fuzzy.SubstitutionSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn dict fuzzy}: every term of a dictionary image within an edit distance of a query. */
@Command(name = "fuzzy", mixinStandardHelpOptions = true,
        description = {"Find the terms of a dictionary image within an edit distance of QUERY, best first.",
                "Prints one 'distance<TAB>term' line per match; distances count characters.",
                "Exit code: 0 matches found (or --limit 0), 3 none, 1 error (missing or corrupt file)."},
        footerHeading = "%nJSON fields (--json):%n",
        footer = {"  query      the query", "  distance   the maximum edit distance",
                "  algorithm  standard, transposition or merge-split", "  prefix     whether --prefix was given",
                "  matches    the matches, best first: objects with 'distance' and 'term'",
                "  micros     how long the search took, in microseconds"})
final class DictFuzzyCommand implements Callable<Integer> {

    @CommandLine.Mixin
    JsonOption json;

    @Parameters(index = "0", paramLabel = "FILE", description = "The dictionary image, or a durable dictionary's directory "
            + "(from 'cairn dict build').")
    Path file;

    @Parameters(index = "1", paramLabel = "QUERY", description = "The (possibly misspelt) word to look for.")
    String query;

    @Option(names = {"-d", "--distance"}, defaultValue = "2", paramLabel = "N",
            description = "Maximum edit distance, 0.." + Levenshtein.MAX_DISTANCE + ". Default: ${DEFAULT-VALUE}.")
    int distance;

    @Option(names = "--algorithm", defaultValue = "standard", paramLabel = "NAME",
            converter = AlgorithmConverter.class,
            description = "standard (insert, delete, substitute), transposition (also swap two neighbours) or "
                    + "merge-split (also two characters <-> one). Default: ${DEFAULT-VALUE}.")
    Algorithm algorithm;

    @Option(names = "--substitutions", paramLabel = "SET", converter = SubstitutionsConverter.class,
            description = "Characters that substitute for free: phonetic, keyboard (neighbouring QWERTY keys), ocr "
                    + "(0/O, 1/l, rn/m, cl/d, ...), leet, or a file of rules, one 'FROM TO [COST]' a line.")
    SubstitutionSet substitutions;

    @Option(names = "--ignore-case", description = "Match regardless of case (terms are shown as the dictionary has them).")
    boolean ignoreCase;

    @Option(names = "--prefix", description = "Completion: also terms that extend a word within the distance.")
    boolean prefix;

    @Option(names = "--limit", paramLabel = "K",
            description = "Show only the K best matches (stops searching early); 0 shows none and exits 0.")
    Long limit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (distance < 0 || distance > Levenshtein.MAX_DISTANCE) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--distance must be in 0.." + Levenshtein.MAX_DISTANCE + ", got " + distance);
        }
        if (limit != null && limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
        }
        try (DictCommand.Opened opened = DictCommand.open(file)) {
            return search(opened.dictionary());
        }
    }

    private int search(MappedDictionary<String> dictionary) {
        long started = System.nanoTime();
        FuzzyQuery<String> search = Levenshtein.query(dictionary, query).maxDistance(distance).algorithm(algorithm);
        if (prefix) {
            search.prefix();
        }
        if (substitutions != null) {
            search.substitutions(substitutions);
        }
        if (ignoreCase) {
            search.ignoreCase();
        }
        if (limit != null) {
            search.limit(limit);
        }
        boolean noneAsked = limit != null && limit == 0; // nothing asked for, nothing printed: not a miss
        List<Candidate> matches = noneAsked ? List.of() : search.list();
        long micros = (System.nanoTime() - started) / 1_000;
        if (json.enabled) {
            JsonWriter w = json.writer(System.out).beginObject().field("query", query).field("distance", distance)
                    .field("algorithm", AlgorithmConverter.name(algorithm)).field("prefix", prefix)
                    .name("matches").beginArray();
            for (Candidate match : matches) {
                w.beginObject().field("distance", match.distance()).field("term", match.term()).endObject();
            }
            w.endArray().field("micros", micros).endObject().end();
        } else if (!noneAsked) {
            printText(matches, micros);
        }
        return matches.isEmpty() && !noneAsked ? DictCommand.NOT_FOUND : 0;
    }

    private void printText(List<Candidate> matches, long micros) {
        for (Candidate match : matches) {
            System.out.println(match.distance() + "\t" + match.term());
        }
        System.err.printf("%,d match%s within %d of \"%s\" (%s%s%s%s) in %,d µs%n", matches.size(),
                matches.size() == 1 ? "" : "es", distance, query, AlgorithmConverter.name(algorithm),
                prefix ? ", prefix" : "", substitutions == null ? "" : ", " + substitutions.size() + " substitutions",
                ignoreCase ? ", ignoring case" : "", micros);
    }

    /** A preset's name, or the path of a file of rules ({@link SubstitutionSet#read}). */
    static final class SubstitutionsConverter implements CommandLine.ITypeConverter<SubstitutionSet> {
        @Override
        public SubstitutionSet convert(String value) throws IOException {
            return switch (value) {
                case "phonetic" -> SubstitutionSet.PHONETIC;
                case "keyboard" -> SubstitutionSet.KEYBOARD_QWERTY;
                case "ocr" -> SubstitutionSet.OCR;
                case "leet" -> SubstitutionSet.LEET;
                default -> {
                    Path path = Path.of(value);
                    if (!Files.isRegularFile(path)) {
                        throw new CommandLine.TypeConversionException("expected phonetic, keyboard, ocr, leet or "
                                + "a file of rules, got '" + value + "'");
                    }
                    try {
                        yield SubstitutionSet.read(path);
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.TypeConversionException(e.getMessage());
                    }
                }
            };
        }
    }

    /** The command-line names of the algorithms. */
    static final class AlgorithmConverter implements CommandLine.ITypeConverter<Algorithm> {
        @Override
        public Algorithm convert(String value) {
            return switch (value) {
                case "standard" -> Algorithm.STANDARD;
                case "transposition" -> Algorithm.TRANSPOSITION;
                case "merge-split" -> Algorithm.MERGE_AND_SPLIT;
                default -> throw new CommandLine.TypeConversionException(
                        "expected standard, transposition or merge-split, got '" + value + "'");
            };
        }

        static String name(Algorithm algorithm) {
            return switch (algorithm) {
                case STANDARD -> "standard";
                case TRANSPOSITION -> "transposition";
                case MERGE_AND_SPLIT -> "merge-split";
            };
        }
    }
}
