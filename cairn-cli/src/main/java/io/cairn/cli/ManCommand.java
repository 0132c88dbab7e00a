package io.cairn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code cairn man}: prints the manual page, for {@code man -l} or a man directory. */
@Command(name = "man", mixinStandardHelpOptions = true,
        description = {"Print the cairn(1) manual page (roff), written from the same model as --help.",
                "Read it with: cairn man > cairn.1 && man -l cairn.1"})
final class ManCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        ManPage.write(root, root.getCommandSpec().version()[0], System.out);
        return 0;
    }
}
