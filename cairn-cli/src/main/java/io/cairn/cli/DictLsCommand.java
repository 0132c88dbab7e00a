package io.cairn.cli;

import io.cairn.dict.Dictionaries;
import io.cairn.dict.DictionaryImageInfo;
import io.cairn.dict.DurableDictionary;
import io.cairn.dict.MappedDictionary;
import io.cairn.dict.TokenDawg;
import io.cairn.dict.ValueCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn dict ls}: the terms of a dictionary image or durable dictionary, streamed in unit order. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List the terms of a dictionary image or a durable dictionary in unit order (UTF-8 byte "
                + "order = code point order).",
                "An image with values, and a durable dictionary, print TSV lines 'term<TAB>value' (\\\\, \\t,",
                "\\n, \\r escaped; a term without a value has no tab); values that are not UTF-8 print as 0x and hex.",
                "A token DAWG's sequences print as their tokens in unsigned decimal separated by spaces, in unsigned "
                        + "token order; its PREFIX is such tokens too.",
                "Exit code: 0 terms listed, 3 none, 1 error (missing or corrupt file)."},
        footerHeading = "%nJSON fields (--json):%n",
        footer = {"  image   the dictionary image (or durable dictionary directory)",
                "  prefix  the prefix listed (empty for every term)",
                "  terms   the terms, each an object {term, value} (value only if the term has one);",
                "          absent with --output",
                "  output  the file written (with --output)",
                "  count   how many terms were listed"})
final class DictLsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The dictionary image, or a durable dictionary's "
            + "directory.")
    Path file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PREFIX", description = "List only terms starting with it.")
    String prefix = "";

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the list to FILE instead of standard output: one term a line, or TSV for an "
                    + "image with values; gzip if FILE ends with .gz.")
    Path output;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (output != null) {
            checkOutput();
        }
        if (Files.isDirectory(file)) {
            try (DurableDictionary durable = DictCommand.openDurable(file)) {
                return list(durable.entries(prefix), true);
            }
        }
        DictionaryImageInfo info = Dictionaries.inspect(file);
        if (info.kind() == DictionaryImageInfo.Kind.TOKEN_DAWG) {
            return list(sequences(), info.hasValues());
        }
        return list(Dictionaries.load(file, ValueCodec.bytes()).entries(prefix), info.hasValues());
    }

    /** A token DAWG's sequences under the prefix, each spelt as its unsigned decimal tokens separated by spaces. */
    private Stream<MappedDictionary.Entry<byte[]>> sequences() throws IOException {
        long[] tokens;
        try {
            tokens = prefix.isBlank() ? new long[0]
                    : Arrays.stream(prefix.strip().split(" +")).mapToLong(Long::parseUnsignedLong).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the PREFIX of a token DAWG is unsigned decimal tokens separated by "
                    + "spaces, got '" + prefix + "'");
        }
        return TokenDawg.load(file, ValueCodec.bytes()).entries(tokens).map(e -> new MappedDictionary.Entry<>(
                Arrays.stream(e.tokens()).mapToObj(Long::toUnsignedString).collect(Collectors.joining(" ")),
                e.value()));
    }

    /** Lists the entries: TSV if {@code valued} (a term without a value has no tab), else plain. */
    private int list(Stream<MappedDictionary.Entry<byte[]>> listed, boolean valued) throws IOException {
        long count;
        try (Stream<MappedDictionary.Entry<byte[]>> entries = listed) {
            if (output != null) {
                count = valued ? Dictionaries.writeEntries(output, entries, DictLsCommand::text)
                        : Dictionaries.writeTerms(output, entries.map(MappedDictionary.Entry::term));
            } else if (json.enabled) {
                count = printJson(entries);
            } else {
                count = valued ? Dictionaries.writeEntries(System.out, entries, DictLsCommand::text)
                        : Dictionaries.writeTerms(System.out, entries.map(MappedDictionary.Entry::term));
            }
        }
        if (output != null) {
            if (json.enabled) {
                json.writer(System.out).beginObject().field("image", file.toString()).field("prefix", prefix)
                        .field("output", output.toString()).field("count", count).endObject().end();
            } else {
                System.err.printf("wrote %,d term%s to %s%n", count, count == 1 ? "" : "s", output);
            }
        }
        return count == 0 ? DictCommand.NOT_FOUND : 0;
    }

    /**
     * Refuses to write the list over the image it reads (which may be mapped), into the durable dictionary's
     * directory it reads, or over anything not a file.
     */
    private void checkOutput() throws IOException {
        Path into = output.toAbsolutePath().getParent();
        if (Files.isDirectory(file) && into != null && Files.exists(into)
                && into.toRealPath().startsWith(file.toRealPath())) {
            throw new IllegalArgumentException("refusing to write the list into the durable dictionary " + file
                    + " it comes from (--output names a file in its directory)");
        }
        if (Files.exists(output) && Files.isSameFile(file, output)) {
            throw new IllegalArgumentException("refusing to write the list over the image " + file
                    + " it comes from (--output names the image)");
        }
        if (Files.exists(output) && !Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("refusing to write the list over " + output
                    + ", which is not a regular file");
        }
    }

    private long printJson(Stream<MappedDictionary.Entry<byte[]>> entries) {
        JsonWriter writer = json.writer(System.out);
        writer.beginObject().field("image", file.toString()).field("prefix", prefix).name("terms").beginArray();
        long count = 0;
        for (Iterator<MappedDictionary.Entry<byte[]>> it = entries.iterator(); it.hasNext(); count++) {
            MappedDictionary.Entry<byte[]> entry = it.next();
            writer.beginObject().field("term", entry.term());
            if (entry.value() != null) {
                writer.field("value", text(entry.value()));
            }
            writer.endObject();
        }
        writer.endArray().field("count", count).endObject().end();
        return count;
    }

    /** A value as text: its UTF-8 if it is UTF-8, else 0x and its hex. */
    static String text(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(value);
        }
    }
}
