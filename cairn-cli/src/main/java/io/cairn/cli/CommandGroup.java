package io.cairn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code cairn}, {@code cairn stack}, ...). Run without one, it is a
 * usage error like any other: the message and the usage go to standard error and the exit code is 2.
 */
abstract class CommandGroup implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command: "
                + String.join(", ", spec.subcommands().keySet().stream().filter(name -> !name.equals("help")).toList()));
    }
}
