package io.cairn.cli;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * Writes the one JSON document a command prints under {@code --json}, as it goes (a listing of millions of terms
 * needs no tree in memory). Members are separated automatically; {@link #end} checks that every container was
 * closed and ends the document with a newline. Field names are part of each command's documented interface.
 */
final class JsonWriter {
    private final PrintStream out;
    /** One entry per open container: true while it has no member yet. */
    private final Deque<Boolean> empty = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter(PrintStream out) {
        this.out = out;
    }

    JsonWriter beginObject() {
        beforeValue();
        out.print('{');
        empty.push(true);
        return this;
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        beforeValue();
        out.print('[');
        empty.push(true);
        return this;
    }

    JsonWriter endArray() {
        return close(']');
    }

    /** The name of the next member of the open object. */
    JsonWriter name(String name) {
        if (afterName || empty.isEmpty()) {
            throw new IllegalStateException("a name must follow an object's '{' or a member: " + name);
        }
        separate();
        string(name);
        out.print(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            out.print("null");
        } else {
            string(value);
        }
        return this;
    }

    JsonWriter value(long value) {
        beforeValue();
        out.print(value);
        return this;
    }

    /** A number; NaN and the infinities, which JSON cannot hold, become null. */
    JsonWriter value(double value) {
        beforeValue();
        out.print(Double.isFinite(value) ? Double.toString(value) : "null");
        return this;
    }

    JsonWriter value(boolean value) {
        beforeValue();
        out.print(value);
        return this;
    }

    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, double value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    /** A number, or null when {@code value} is empty (a quantity the source cannot tell). */
    JsonWriter field(String name, OptionalLong value) {
        name(name);
        return value.isPresent() ? value(value.getAsLong()) : value((String) null);
    }

    /** Ends the document: every container must be closed. */
    void end() {
        if (!empty.isEmpty() || afterName) {
            throw new IllegalStateException("JSON document ended inside " + empty.size() + " open containers");
        }
        out.println();
    }

    private JsonWriter close(char bracket) {
        if (empty.isEmpty() || afterName) {
            throw new IllegalStateException("no open container to close with " + bracket);
        }
        empty.pop();
        out.print(bracket);
        return this;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
        } else if (!empty.isEmpty()) {
            separate();
        }
    }

    private void separate() {
        if (!empty.pop()) {
            out.print(',');
        }
        empty.push(false);
    }

    private void string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
                            && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || loneSurrogate) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        out.print(sb.append('"'));
    }
}
