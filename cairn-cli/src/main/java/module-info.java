/** The {@code cairn} command line. */
module io.cairn.cli {
    requires io.cairn.stack;
    requires io.cairn.tree;
    requires io.cairn.dict;
    requires io.cairn.replication; // an automatic module: Ratis splits packages, so it runs on the class path
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires java.logging;
    opens io.cairn.cli to info.picocli;
}
