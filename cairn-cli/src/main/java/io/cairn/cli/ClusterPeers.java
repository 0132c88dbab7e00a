package io.cairn.cli;

import io.cairn.replication.Peer;
import java.util.List;
import picocli.CommandLine;

/** Reads a {@code --peers}/{@code --cluster} list ({@code id=host:port,...}): a bad one is a usage error naming it. */
final class ClusterPeers {
    private ClusterPeers() {}

    static List<Peer> parse(CommandLine commandLine, String option, String text) {
        try {
            return Peer.parseList(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, option + " " + text + ": " + e.getMessage()
                    + " (expected id=host:port,id=host:port,...)");
        }
    }
}
