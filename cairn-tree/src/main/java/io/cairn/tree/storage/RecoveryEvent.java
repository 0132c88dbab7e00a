package io.cairn.tree.storage;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: opening a store — the manifest, its frames and the replay of the log after it. */
@Name("io.cairn.tree.Recovery")
@Label("Recovery")
@Category({"Cairn", "Tree"})
@Description("A store opened: manifest read, frames loaded, the log after the checkpoint replayed")
final class RecoveryEvent extends jdk.jfr.Event {
    @Label("Directory")
    String directory;

    @Label("Replayed Records")
    long replayedRecords;

    @Label("Read Only")
    boolean readOnly;
}
