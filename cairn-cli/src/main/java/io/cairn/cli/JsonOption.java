package io.cairn.cli;

import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of every command that prints data or stats: one JSON document per invocation on
 * standard output, with the field names each command lists under "JSON fields" in its {@code --help}.
 */
final class JsonOption {
    @Option(names = "--json", description = "Print one JSON document instead of text (fields listed below).")
    boolean enabled;

    /** A writer for the document, on {@code out}. */
    JsonWriter writer(PrintStream out) {
        return new JsonWriter(out);
    }
}
