package io.cairn.cli;

import io.cairn.dict.Alphabet;
import io.cairn.dict.DictionaryImageInfo;
import io.cairn.dict.Dictionaries;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cairn dict info}: what a dictionary image holds, checked in full. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show what a dictionary image holds: its kind, alphabet, values, terms, nodes and size.",
                "The image is loaded and checked in full (exit 1 if it is damaged)."},
        footerHeading = "%nJSON fields (--json):%n",
        footer = {"  file      the image",
                "  kind      dat (double-array trie), dawg or tokens (token DAWG)",
                "  alphabet  bytes (UTF-8), codepoints or tokens",
                "  values    whether the image stores values",
                "  terms     how many terms (token sequences for a token DAWG)",
                "  nodes     the trie's states or the DAWG's nodes",
                "  bytes     the size of the file"})
final class DictInfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The dictionary image.")
    Path file;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        DictionaryImageInfo info = Dictionaries.inspect(file);
        String kind = switch (info.kind()) {
            case DOUBLE_ARRAY_TRIE -> "dat";
            case DAWG -> "dawg";
            case TOKEN_DAWG -> "tokens";
        };
        String alphabet = info.alphabet() == null ? "tokens"
                : info.alphabet() == Alphabet.CODE_POINTS ? "codepoints" : "bytes";
        PrintStream out = System.out;
        if (json.enabled) {
            json.writer(out).beginObject().field("file", file.toString()).field("kind", kind)
                    .field("alphabet", alphabet).field("values", info.hasValues()).field("terms", info.terms())
                    .field("nodes", info.nodes()).field("bytes", info.bytes()).endObject().end();
            return 0;
        }
        out.println("file:      " + file);
        out.println("kind:      " + switch (info.kind()) {
            case DOUBLE_ARRAY_TRIE -> "double-array trie (dat)";
            case DAWG -> "DAWG (dawg)";
            case TOKEN_DAWG -> "DAWG of 64-bit tokens (tokens)";
        });
        out.println("alphabet:  " + alphabet);
        out.println("values:    " + (info.hasValues() ? "yes" : "no"));
        out.printf("terms:     %,d%n", info.terms());
        out.printf("nodes:     %,d%n", info.nodes());
        out.printf("bytes:     %,d (%.1f per term)%n", info.bytes(),
                info.terms() == 0 ? 0.0 : (double) info.bytes() / info.terms());
        return 0;
    }
}
