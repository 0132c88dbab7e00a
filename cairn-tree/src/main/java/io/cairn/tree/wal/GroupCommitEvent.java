package io.cairn.tree.wal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR: one group write of the write-ahead log — many writers' records in one append, forced if asked. */
@Name("io.cairn.tree.GroupCommit")
@Label("WAL Group Commit")
@Category({"Cairn", "Tree"})
@Description("One append of a group of log records, and its force")
final class GroupCommitEvent extends jdk.jfr.Event {
    @Label("Records")
    long records;

    @Label("Bytes")
    @DataAmount
    long bytes;

    @Label("Forces")
    int forces;
}
