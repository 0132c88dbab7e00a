/** The {@code cairn} command line. */
module io.cairn.cli {
    requires io.cairn.stack;
    requires io.cairn.tree;
    requires io.cairn.dict;
    requires info.picocli;
    requires me.tongfei.progressbar;
    opens io.cairn.cli to info.picocli;
}
