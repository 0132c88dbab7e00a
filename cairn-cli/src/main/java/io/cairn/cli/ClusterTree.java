package io.cairn.cli;

import io.cairn.replication.GroupClient;
import io.cairn.replication.ReplicationOptions;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code cairn tree --cluster PEERS ...}: a tree of a replicated group ({@code cairn serve}), reached as a client
 * that holds no data. Writes go through the group's leader; reads are linearizable (the leader answers after a
 * read index), since a client has no local copy to read.
 *
 * @param codec how keys and values are written ({@code --hex}); its directory is null
 */
record ClusterTree(GroupClient client, String name, TreeCommand.Store codec) implements AutoCloseable {

    /**
     * The tree {@code --tree} names ({@code create}: made if the group lacks it), or the group's only tree.
     */
    static ClusterTree open(TreeCommand tree, boolean hex, boolean create) throws IOException {
        CommandLine commandLine = tree.spec.commandLine();
        if (tree.dir != null || tree.database != null) {
            throw new CommandLine.ParameterException(commandLine, "give --cluster PEERS or a directory, not both");
        }
        GroupClient client = GroupClient.connect(ClusterPeers.parse(commandLine, "--cluster", tree.cluster),
                ReplicationOptions.defaults());
        try {
            String name = tree.treeName;
            if (name == null) {
                List<String> names = client.treeNames();
                if (names.size() != 1) {
                    throw new IllegalArgumentException((names.isEmpty() ? "the group has no trees yet"
                            : "the group has the trees " + String.join(", ", names)) + ": name one with --tree NAME");
                }
                name = names.getFirst();
            } else if (create) {
                client.createTree(name);
            }
            return new ClusterTree(client, name, new TreeCommand.Store(null, name, hex));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Where a key was not found, for messages. */
    String where() {
        return "tree " + name + " of the group";
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
