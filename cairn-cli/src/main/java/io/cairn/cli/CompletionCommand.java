package io.cairn.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn completion bash|zsh}: the shell completion script picocli generates from the command model. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for cairn.",
                "bash: source <(cairn completion bash)   zsh: source <(cairn completion zsh)",
                "(or save it in a directory your shell loads completions from)."})
final class CompletionCommand implements Callable<Integer> {
    /** The shells the script serves. */
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (shell == Shell.zsh) {
            // picocli's script is bash; zsh runs it through its bash completion emulation.
            System.out.println("autoload -U +X compinit && compinit");
            System.out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        System.out.print(AutoComplete.bash("cairn", spec.root().commandLine()));
        return 0;
    }
}
