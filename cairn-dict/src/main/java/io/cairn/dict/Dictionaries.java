package io.cairn.dict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** Opens a dictionary image of any String kind, for tools that do not know which kind a file holds. */
public final class Dictionaries {
    private Dictionaries() {}

    /**
     * The dictionary saved at {@code path}: a {@link DoubleArrayTrie} (mapped, no copy) or a {@link Dawg}, with
     * values decoded by {@code codec} (an image without values gives a dictionary without values).
     *
     * @throws io.cairn.stack.CorruptedStoreException if the file is not an intact dictionary image
     * @throws IllegalArgumentException if the image holds a {@link TokenDawg}, which has no String terms
     */
    public static <V> MappedDictionary<V> load(Path path, ValueCodec<V> codec) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(codec, "codec");
        DictionaryImage image = DictionaryImage.map(path, DictionaryImage.ANY_KIND);
        return switch (image.kind()) {
            case DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE -> DoubleArrayTrie.open(image, codec);
            case DictionaryImageFormat.KIND_DAWG -> Dawg.open(image, codec);
            default -> throw new IllegalArgumentException(
                    path + " holds a token DAWG, whose terms are token sequences, not strings");
        };
    }
}
