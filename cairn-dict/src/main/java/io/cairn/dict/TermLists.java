package io.cairn.dict;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Term lists as text files, streamed both ways: plain text (one term a line) and TSV ({@code term TAB value}, with
 * {@code \\}, {@code \t}, {@code \n} and {@code \r} escaped in both columns), strict UTF-8, gzip-compressed when
 * the file name ends with {@code .gz}. Reading never holds more than one line; a line longer than
 * {@value #MAX_LINE_BYTES} bytes is refused rather than buffered without bound.
 */
final class TermLists {
    private TermLists() {}

    /** The longest line read, in bytes: far beyond any real term, small enough never to exhaust the heap. */
    static final int MAX_LINE_BYTES = 1 << 24;

    static boolean gzipped(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /** The lines of {@code path}, lazily; the stream owns the file and closes it when closed. */
    static Stream<String> lines(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        InputStream in = Files.newInputStream(path);
        try {
            if (gzipped(path)) {
                in = new GZIPInputStream(in, 1 << 16);
            }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw new IOException(path + " is not a gzip file: " + e.getMessage(), e);
        }
        LineIterator lines = new LineIterator(in, path);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(lines,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(lines::close);
    }

    /** A TSV line as an entry: the term, and the value after the first tab (null if there is no tab). */
    static MappedDictionary.Entry<String> entry(String line) {
        int tab = line.indexOf('\t');
        return tab < 0 ? new MappedDictionary.Entry<>(unescape(line), null)
                : new MappedDictionary.Entry<>(unescape(line.substring(0, tab)), unescape(line.substring(tab + 1)));
    }

    /**
     * Writes {@code lines} to a temporary sibling of {@code path}, forces it and renames it over {@code path}, so
     * a failure midway leaves {@code path} as it was. Returns the number of lines.
     */
    static long write(Path path, Stream<String> lines) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(lines, "lines");
        Path absolute = path.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        long count;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                if (gzipped(path)) {
                    GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
                    count = write(gzip, lines);
                    gzip.finish();
                } else {
                    count = write(out, lines);
                }
                channel.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return count;
    }

    /** Writes {@code lines} to {@code out} as UTF-8, each ended by a line feed, and flushes (not closes) it. */
    static long write(OutputStream out, Stream<String> lines) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(lines, "lines");
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        long count = 0;
        try {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); count++) {
                writer.write(it.next());
                writer.write('\n');
            }
            writer.flush();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("line " + (count + 1)
                    + " holds an unpaired surrogate, which UTF-8 cannot encode", e);
        }
        return count;
    }

    /** A term as a line of a plain term list. */
    static String plainLine(String term) {
        Objects.requireNonNull(term, "term");
        if (term.indexOf('\n') >= 0 || term.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a plain term list cannot hold a term with a line break: "
                    + escape(term) + " (write it as TSV, which escapes them)");
        }
        return term;
    }

    /** An entry as a TSV line, with {@code format}ting the value (no tab when the term carries none). */
    static <V> String tsvLine(MappedDictionary.Entry<V> entry, Function<? super V, String> format) {
        Objects.requireNonNull(entry, "entry");
        return entry.value() == null ? escape(entry.term())
                : escape(entry.term()) + '\t' + escape(Objects.requireNonNull(format.apply(entry.value()),
                        "formatted value"));
    }

    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** Undoes {@link #escape}; a backslash before any other character (or at the end) is kept as it is. */
    static String unescape(String text) {
        int slash = text.indexOf('\\');
        if (slash < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, slash);
        for (int i = slash; i < text.length(); i++) {
            char c = text.charAt(i);
            int unescaped = c != '\\' || i + 1 == text.length() ? -1 : switch (text.charAt(i + 1)) {
                case '\\' -> '\\';
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> -1;
            };
            if (unescaped >= 0) {
                out.append((char) unescaped);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Reads lines ending in LF or CRLF (the CR dropped), counting them for messages. Lines are split on the byte
     * 0x0A, which no multi-byte UTF-8 sequence contains, and each is decoded on its own, so a malformed byte is
     * reported with its exact line.
     */
    private static final class LineIterator implements Iterator<String> {
        private final InputStream in;
        private final Path path;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private byte[] text = new byte[256];
        private long line;
        private String next;
        private boolean done;

        LineIterator(InputStream in, Path path) {
            this.in = in;
            this.path = path;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException("reading line " + (line + 1) + " of " + path, e);
                }
                done = next == null;
            }
            return next != null;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String result = next;
            next = null;
            return result;
        }

        private String readLine() throws IOException {
            int length = 0;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = Math.max(0, in.read(buffer));
                    position = 0;
                    if (limit == 0) {
                        return any ? decode(length) : null;
                    }
                }
                any = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                int chunk = position - start;
                if ((long) length + chunk > MAX_LINE_BYTES) {
                    throw new IOException(
                            "line " + (line + 1) + " of " + path + " is longer than " + MAX_LINE_BYTES + " bytes");
                }
                if (length + chunk > text.length) {
                    text = Arrays.copyOf(text, Math.max(length + chunk, text.length * 2));
                }
                System.arraycopy(buffer, start, text, length, chunk);
                length += chunk;
                if (position < limit) {
                    position++; // the line feed
                    return decode(length);
                }
            }
        }

        private String decode(int length) {
            line++;
            if (length > 0 && text[length - 1] == '\r') {
                length--;
            }
            try {
                return decoder.reset().decode(ByteBuffer.wrap(text, 0, length)).toString();
            } catch (CharacterCodingException e) {
                throw new UncheckedIOException("line " + line + " of " + path + " is not valid UTF-8", e);
            }
        }

        void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing " + path, e);
            }
        }
    }
}
