package io.cairn.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cairn} command: one subcommand per layer, plus the demo. Exit codes: 0 success, 1 failure (a
 * message on standard error, never a stack trace), 2 bad usage, 3 a negative answer where a command documents
 * one (not found, needs repair, leaks).
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Cairn: an embedded storage toolkit (durable stack and allocators, radix tree, databases and "
                + "their replication, dictionaries).",
        subcommands = {HelpCommand.class, DemoCommand.class, StackCommand.class, AllocCommand.class,
                DictCommand.class, TreeCommand.class, DbCommand.class, ServeCommand.class, CompletionCommand.class, ManCommand.class})
public final class CairnCli extends CommandGroup {

    /** Runs the command line and returns its exit code; the only way the commands are run. */
    static int execute(String... args) {
        String undecodable = Arguments.undecodable(args);
        if (undecodable != null) {
            System.err.println("cairn: " + undecodable);
            return 2;
        }
        int code;
        try {
            CommandLine cli = new CommandLine(new CairnCli());
            cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> fail(e, givenFiles(parseResult)));
            code = cli.execute(args);
        } catch (Throwable e) { // an Error (out of memory, ...) passes picocli's handler: still no stack trace
            code = fail(e, List.of());
        }
        return StandardOutput.check(code);
    }

    private static int fail(Throwable e, List<Path> files) {
        System.out.flush();
        System.err.println("cairn: " + Errors.describe(e, files));
        if (Errors.debug()) {
            e.printStackTrace();
        }
        return 1;
    }

    /** The paths the user gave the command that failed, for messages whose reason names no file. */
    private static List<Path> givenFiles(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult leaf = parseResult;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        List<Path> files = new ArrayList<>();
        for (CommandLine.Model.ArgSpec arg : leaf.matchedArgs()) {
            if (arg.getValue() instanceof Path path && !files.contains(path)) {
                files.add(path);
            }
        }
        return files;
    }

    public static void main(String[] args) {
        StandardOutput.install();
        RatisLogging.level("off");
        System.exit(execute(args));
    }
}
