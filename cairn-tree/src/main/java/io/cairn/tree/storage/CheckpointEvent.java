package io.cairn.tree.storage;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: one checkpoint of a store ({@link Store#checkpoint}), from capture to publication. */
@Name("io.cairn.tree.Checkpoint")
@Label("Checkpoint")
@Category({"Cairn", "Tree"})
@Description("Changed frames written, a manifest published, the log it covers retired")
final class CheckpointEvent extends jdk.jfr.Event {
    @Label("Directory")
    String directory;

    @Label("Sequence")
    @Description("The last log sequence the checkpoint covers")
    long sequence;

    @Label("Frames Written")
    long frames;
}
