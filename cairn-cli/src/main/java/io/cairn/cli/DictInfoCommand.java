package io.cairn.cli;

import io.cairn.dict.Alphabet;
import io.cairn.dict.DictionaryImageInfo;
import io.cairn.dict.Dictionaries;
import io.cairn.dict.DurableDictionary;
import io.cairn.dict.Node;
import io.cairn.dict.RecoveryReport;
import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cairn dict info}: what a dictionary image or durable dictionary holds, checked in full. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show what a dictionary image or durable dictionary holds: its kind, alphabet, values, terms, "
                + "nodes and size.",
                "The image is loaded and checked in full (exit 1 if it is damaged). A durable dictionary is opened "
                        + "read-only, its trie walked in full and its stored count checked against the terms; what "
                        + "the open recovered is shown too."},
        footerHeading = "%nJSON fields (--json):%n",
        footer = {"  file      the image or durable dictionary directory",
                "  kind      dat (double-array trie), dawg, tokens (token DAWG) or durable",
                "  alphabet  bytes (UTF-8), codepoints or tokens",
                "  values    whether the image stores values (durable: whether any term has one)",
                "  terms     how many terms (token sequences for a token DAWG)",
                "  nodes     the trie's states or the DAWG's nodes (durable: the nodes of the tree's key trie)",
                "  bytes     the size of the file (durable: of the files in the directory)",
                "  replayed  durable only: log records the open replayed (written after the last checkpoint)",
                "  openMillis  durable only: how long the open took"})
final class DictInfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The dictionary image, or a durable dictionary's "
            + "directory.")
    Path file;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.isDirectory(file)) {
            try (DurableDictionary durable = DictCommand.openDurable(file)) {
                return durable(durable);
            }
        }
        DictionaryImageInfo info = Dictionaries.inspect(file);
        String kind = switch (info.kind()) {
            case DOUBLE_ARRAY_TRIE -> "dat";
            case DAWG -> "dawg";
            case TOKEN_DAWG -> "tokens";
        };
        String kindText = switch (info.kind()) {
            case DOUBLE_ARRAY_TRIE -> "double-array trie (dat)";
            case DAWG -> "DAWG (dawg)";
            case TOKEN_DAWG -> "DAWG of 64-bit tokens (tokens)";
        };
        String alphabet = info.alphabet() == null ? "tokens"
                : info.alphabet() == Alphabet.CODE_POINTS ? "codepoints" : "bytes";
        return print(kind, kindText, alphabet, info.hasValues(), info.terms(), info.nodes(), info.bytes(), null);
    }

    /**
     * A durable dictionary's facts: its trie walked node by node (every node, term and value read once), the stored
     * count it keeps for {@code size()} checked against the terms found.
     */
    private int durable(DurableDictionary dictionary) throws IOException {
        long nodes = 0;
        long terms = 0;
        boolean values = false;
        ArrayDeque<Node> pending = new ArrayDeque<>();
        pending.push(dictionary.root());
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            nodes++;
            if (node.isFinal()) {
                terms++;
                values |= dictionary.valueAt(node) != null;
            }
            node.forEachEdge((label, child) -> pending.push(child));
        }
        long stored = dictionary.size();
        if (stored != terms) {
            throw new CorruptedStoreException(file, CorruptedStoreException.UNKNOWN_OFFSET,
                    "durable dictionary term count", terms + " (the terms it holds)", Long.toString(stored));
        }
        return print("durable", "durable dictionary (durable)", "bytes", values, terms, nodes,
                DictCommand.directoryBytes(file), dictionary.recoveryReport());
    }

    /** Prints the facts as text or JSON; {@code recovery} is null for an image. */
    private int print(String kind, String kindText, String alphabet, boolean values, long terms, long nodes,
            long bytes, RecoveryReport recovery) {
        PrintStream out = System.out;
        if (json.enabled) {
            JsonWriter writer = json.writer(out).beginObject().field("file", file.toString()).field("kind", kind)
                    .field("alphabet", alphabet).field("values", values).field("terms", terms)
                    .field("nodes", nodes).field("bytes", bytes);
            if (recovery != null) {
                writer.field("replayed", recovery.replayedRecords()).field("openMillis", recovery.time().toMillis());
            }
            writer.endObject().end();
            return 0;
        }
        out.println("file:      " + file);
        out.println("kind:      " + kindText);
        out.println("alphabet:  " + alphabet);
        out.println("values:    " + (values ? "yes" : "no"));
        out.printf("terms:     %,d%n", terms);
        out.printf("nodes:     %,d%n", nodes);
        out.printf("bytes:     %,d (%.1f per term)%n", bytes, terms == 0 ? 0.0 : (double) bytes / terms);
        if (recovery != null) {
            out.println("recovery:  " + recovery);
        }
        return 0;
    }
}
