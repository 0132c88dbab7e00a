package io.cairn.tree.engine;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: a frame rewritten in place with only its reachable nodes ({@link FrameSpace#compact}). */
@Name("io.cairn.tree.Compaction")
@Label("Frame Compaction")
@Category({"Cairn", "Tree"})
@Description("A frame rewritten in place with only its reachable nodes")
final class CompactionEvent extends jdk.jfr.Event {
    @Label("Frame")
    long frameId;

    @Label("Bytes Before")
    @DataAmount
    long bytesBefore;

    @Label("Bytes After")
    @DataAmount
    long bytesAfter;
}
