package io.cairn.cli;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The {@code cairn(1)} manual page in roff ({@code man -l}), written from the same picocli model as {@code --help}
 * and the completion script, so the three never disagree: every command with its synopsis, description,
 * parameters, options and footer (the JSON fields), then the exit statuses.
 */
final class ManPage {
    private ManPage() {}

    static void write(CommandLine root, String version, PrintStream out) {
        CommandSpec spec = root.getCommandSpec();
        out.println(".TH CAIRN 1 \"" + LocalDate.now() + "\" \"" + escape(version) + "\" \"Cairn manual\"");
        out.println(".SH NAME");
        out.println("cairn \\- " + escape(String.join(" ", spec.usageMessage().description())));
        out.println(".SH SYNOPSIS");
        out.println(".B cairn");
        out.println("[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]");
        out.println(".SH COMMANDS");
        for (CommandLine sub : root.getSubcommands().values()) {
            command(sub, out);
        }
        out.println(".SH EXIT STATUS");
        out.println(".TP\n0\nSuccess.");
        out.println(".TP\n1\nFailure: a one-line message on standard error (never a stack trace).");
        out.println(".TP\n2\nBad usage: the message and the usage on standard error.");
        out.println(".TP\n3\nA negative answer where the command documents one (not found, needs repair, leaks).");
        out.println(".SH ENVIRONMENT");
        out.println(".TP\nCAIRN_DEBUG=1\nAlso print the stack trace of an internal error.");
        out.println(".SH SEE ALSO");
        out.println("The README, docs/getting-started.md and the API documentation built by \\fB./cairn docs\\fR.");
    }

    private static void command(CommandLine command, PrintStream out) {
        CommandSpec spec = command.getCommandSpec();
        if (spec.name().equals("help")) {
            return;
        }
        out.println(".SS " + escape(spec.qualifiedName()));
        String synopsis = command.getHelp().synopsis(0).strip().replaceFirst("^Usage: ", "");
        out.println(".nf\n" + escape(synopsis) + "\n.fi");
        for (String line : spec.usageMessage().description()) {
            out.println(".PP\n" + escape(line));
        }
        for (PositionalParamSpec parameter : spec.positionalParameters()) {
            item(parameter.paramLabel(), parameter.description(), out);
        }
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp() && !option.versionHelp() && !option.hidden()) {
                String label = String.join(", ", option.names())
                        + (option.typeInfo().isBoolean() ? "" : " " + option.paramLabel());
                item(label, option.description(), out);
            }
        }
        if (spec.usageMessage().footer().length > 0) {
            out.println(".PP\n" + escape(String.format(spec.usageMessage().footerHeading()).strip()));
            out.println(".nf");
            for (String line : spec.usageMessage().footer()) {
                out.println(escape(String.format(line)));
            }
            out.println(".fi");
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            command(sub, out);
        }
    }

    private static void item(String label, String[] description, PrintStream out) {
        out.println(".TP\n\\fB" + escape(label) + "\\fR");
        out.println(escape(String.join(" ", List.of(description))
                .replace("${DEFAULT-VALUE}", "the default")));
    }

    /** Roff-escapes text: backslashes, and a leading dot or quote that roff would read as a request. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.lines().map(l -> l.startsWith(".") || l.startsWith("'") ? "\\&" + l : l)
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
