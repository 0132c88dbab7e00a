package io.cairn.tree.engine;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR: the frame cache gave a clean frame's buffer to another frame ({@link FrameCache}); many of these with many
 * loads mean the working set is larger than {@code cacheBytes}.
 */
@Name("io.cairn.tree.Eviction")
@Label("Frame Eviction")
@Category({"Cairn", "Tree"})
@Description("A clean frame left the frame cache so that another frame could be loaded")
final class EvictionEvent extends jdk.jfr.Event {
    @Label("Frame")
    long frameId;

    @Label("Buffers In Use")
    @Description("Frame buffers with memory at the eviction (the cache's capacity is cacheBytes / frame size)")
    long buffers;
}
