package io.cairn.bench.substring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The substring benchmarks' text: the non-empty lines of the plain-text files under /usr/share/doc (sorted by
 * path; gzip, HTML and anything that is not UTF-8 or holds a NUL skipped) until they reach a size, and a fixed,
 * seeded set of queries: substrings of those lines and random strings that are mostly absent. Lines are the
 * texts every engine indexes; no query holds a line break, so none can match across lines.
 */
final class DocText {
    private DocText() {}

    static final Path ROOT = Path.of(System.getProperty("cairn.bench.docs", "/usr/share/doc"));
    static final long QUERY_SEED = 2026_12_07L;
    static final int PRESENT_QUERIES = 200;
    static final int ABSENT_QUERIES = 50;

    /** Lines totalling at least {@code minBytes} bytes of UTF-8 (newlines not counted). */
    static List<String> lines(long minBytes) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(Files::isRegularFile).filter(DocText::plainTextName).sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            String text = textOrNull(file);
            if (text == null) {
                continue;
            }
            for (String line : text.split("\r?\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                    bytes += line.getBytes(StandardCharsets.UTF_8).length;
                }
            }
            if (bytes >= minBytes) {
                return lines;
            }
        }
        throw new IOException(ROOT + " holds only " + bytes + " bytes of plain text, less than " + minBytes);
    }

    private static boolean plainTextName(Path file) {
        String name = file.getFileName().toString();
        return !name.endsWith(".gz") && !name.endsWith(".html") && !name.endsWith(".htm");
    }

    private static String textOrNull(Path file) throws IOException {
        if (Files.size(file) > (8 << 20)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * {@link #PRESENT_QUERIES} substrings (3 to 12 characters) of random lines, then {@link #ABSENT_QUERIES} random
     * lower-case strings of 7 letters, the same on every run.
     */
    static List<String> queries(List<String> lines) {
        Random random = new Random(QUERY_SEED);
        List<String> queries = new ArrayList<>();
        while (queries.size() < PRESENT_QUERIES) {
            String line = lines.get(random.nextInt(lines.size()));
            int length = 3 + random.nextInt(10);
            if (line.length() < length) {
                continue;
            }
            int start = random.nextInt(line.length() - length + 1);
            String query = line.substring(start, start + length);
            if (!Character.isSurrogate(query.charAt(0)) && !Character.isSurrogate(query.charAt(length - 1))) {
                queries.add(query);
            }
        }
        for (int i = 0; i < ABSENT_QUERIES; i++) {
            StringBuilder query = new StringBuilder();
            for (int k = 0; k < 7; k++) {
                query.append((char) ('a' + random.nextInt(26)));
            }
            queries.add(query.toString());
        }
        return queries;
    }

    /** Total UTF-8 bytes of {@code lines}. */
    static long bytes(List<String> lines) {
        long bytes = 0;
        for (String line : lines) {
            bytes += line.getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }
}
