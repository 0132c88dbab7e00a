package io.cairn.tree;

import java.util.Map;

/**
 * What a database image holds ({@link Database#exportImage}, {@link Database#installImage},
 * {@link Database#verifyImage}).
 *
 * @param sequence the change-feed sequence the image is exactly at: a database installed from it continues by
 *                 applying the feed after this sequence
 * @param trees    each tree's name and record count, in tree id order
 * @param records  records in all trees
 * @param bytes    the image file's size
 */
public record ImageInfo(long sequence, Map<String, Long> trees, long records, long bytes) {
    public ImageInfo {
        trees = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(trees));
    }
}
