package io.cairn.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/** One layer's part of {@code cairn demo}. */
interface DemoSection {

    /** Where a section writes and keeps its files. */
    record Context(PrintStream out, Path dataDir) {}

    /** The heading printed before the section. */
    String title();

    void run(Context context) throws Exception;
}
