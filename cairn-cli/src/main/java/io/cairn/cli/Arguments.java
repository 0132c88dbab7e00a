package io.cairn.cli;

import java.nio.charset.Charset;

/**
 * Arguments the JVM could not decode. Java turns the command line into strings with the locale's charset and
 * replaces every byte sequence it cannot decode with U+FFFD, so {@code $'caf\xe9'} would arrive as
 * {@code "caf\uFFFD"} and be stored as {@code ef bf bd}: silently different bytes. Cairn refuses such an
 * argument instead and says how to pass bytes exactly.
 */
final class Arguments {
    private static final char REPLACEMENT = '\uFFFD';

    private Arguments() {}

    /** Why {@code args} cannot be used as given, or null when every argument decoded cleanly. */
    static String undecodable(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].indexOf(REPLACEMENT) >= 0) {
                String charset = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
                boolean utf8 = Charset.forName(charset, Charset.defaultCharset()).name().equals("UTF-8");
                return "argument " + (i + 1) + " ('" + args[i] + "') holds bytes that are not valid "
                        + (utf8 ? "UTF-8" : charset + " (the locale's character set)")
                        + " text, so they cannot be passed on unchanged; give binary data in hex (--hex) or on "
                        + "standard input" + (utf8 ? "" : ", or run in a UTF-8 locale (LC_ALL=C.UTF-8)");
            }
        }
        return null;
    }
}
