package io.cairn.cli;

import io.cairn.dict.Alphabet;
import io.cairn.dict.DurableDictionary;
import io.cairn.dict.MappedDictionary;
import io.cairn.dict.Node;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * A durable dictionary seen with string values (its byte values read as UTF-8), as the commands see the values of
 * an image, so {@code dict lookup}, {@code dict fuzzy} and {@code dict suggest} search it in place.
 */
final class StringValues implements MappedDictionary<String> {
    private final DurableDictionary durable;

    StringValues(DurableDictionary durable) {
        this.durable = durable;
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String getValue(String term) {
        return text(durable.getValue(term));
    }

    @Override
    public String valueAt(Node node) {
        return text(durable.valueAt(node));
    }

    @Override
    public Node root() {
        return durable.root();
    }

    @Override
    public Alphabet alphabet() {
        return durable.alphabet();
    }

    @Override
    public boolean contains(String term) {
        return durable.contains(term);
    }

    @Override
    public long size() {
        return durable.size();
    }

    @Override
    public Stream<String> terms(String prefix) {
        return durable.terms(prefix);
    }

    @Override
    public Stream<Entry<String>> entries(String prefix) {
        return durable.entries(prefix).map(e -> new Entry<>(e.term(), text(e.value())));
    }
}
