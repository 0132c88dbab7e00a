package io.cairn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cairn} command: one subcommand per layer, plus the demo. */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Cairn: an embedded storage toolkit (durable stack and allocators, radix tree, dictionaries).",
        subcommands = {DemoCommand.class, StackCommand.class, AllocCommand.class, DictCommand.class})
public final class CairnCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and returns its exit code (0 success, 1 failure, 2 bad usage). */
    static int execute(String... args) {
        CommandLine cli = new CommandLine(new CairnCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("cairn: " + Errors.describe(e));
            return 1;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
