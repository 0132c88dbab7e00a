package io.cairn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn help [COMMAND...]}: the usage of cairn or of any command, however deep ({@code help stack push}).
 * Picocli's own help command looks one name down only and silently shows the group's help for the rest.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of cairn, or of COMMAND (e.g. 'cairn help stack push').")
final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its subcommands.")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine command = spec.commandLine().getParent();
        for (String name : names) {
            CommandLine sub = command.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no command '" + name + "' in '"
                        + command.getCommandSpec().qualifiedName() + "'; its commands: "
                        + String.join(", ", command.getSubcommands().keySet()));
            }
            command = sub;
        }
        command.usage(System.out);
        return 0;
    }
}
