package io.cairn.cli;

import io.cairn.replication.Peer;
import io.cairn.replication.ReplicatedDatabase;
import io.cairn.replication.ReplicationOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn serve DIR --id ID --peers ...}: runs one member of a replicated database (cairn-replication) until
 * SIGINT or SIGTERM, then stops it cleanly (a checkpoint and the clean marker), so it restarts from its own
 * database instead of rebuilding it from the Raft log.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run one member of a replicated database (Raft, through Apache Ratis) in DIR until SIGINT or "
                + "SIGTERM, then stop it cleanly.",
                "Every member is started with the same --peers; a majority of them must run for the group to "
                        + "accept writes. Prints one line once the member runs: its id, address and the leader "
                        + "when one is known. Talk to the group with: cairn tree --cluster PEERS ...",
                "DIR holds raft/ (the Raft log and snapshots) and db/ (the member's database); it is created if "
                        + "missing and reused after a restart.",
                "Exit 130 or 143 once stopped cleanly by SIGINT or SIGTERM (after the line 'stopped ID cleanly'), "
                        + "1 if the member failed to start, 2 on bad usage."})
final class ServeCommand implements Callable<Integer> {
    /** How long the member waits for a leader before printing its line without one. */
    private static final Duration LEADER_WAIT = Duration.ofSeconds(3);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The member's directory.")
    Path dir;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "This member's id in --peers.")
    String id;

    @Option(names = "--peers", required = true, paramLabel = "PEERS",
            description = "Every member of the group: id=host:port,id=host:port,... (this one listens on its own).")
    String peers;

    @Option(names = "--log", paramLabel = "LEVEL", defaultValue = "error",
            description = "What Ratis logs to standard error: off, error, warn, info, debug (default: "
                    + "${DEFAULT-VALUE}; warn also reports, with stack traces, members that come and go).")
    String log;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<Peer> members = ClusterPeers.parse(spec.commandLine(), "--peers", peers);
        Peer self = members.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), "--id " + id + " is not one of --peers "
                        + peers));
        if (!RatisLogging.LEVELS.containsKey(log)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log " + log
                    + " is not one of off, error, warn, info, debug");
        }
        InputFiles.directory(dir, "member directory", true);
        checkListenable(self);
        RatisLogging.level(log);
        ReplicatedDatabase member = ReplicatedDatabase.start(id, members, dir, ReplicationOptions.defaults());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("cairn-serve-stop").unstarted(() -> {
            try {
                member.close();
                System.out.println("stopped " + id + " cleanly");
            } catch (IOException e) {
                System.err.println("cairn: stopping " + id + " failed: " + Errors.describe(
                        new UncheckedIOException(e), List.of(dir)));
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }));
        String leader = awaitLeader(member);
        System.out.println("serving " + id + " at " + self.address() + " (a group of " + members.size()
                + "), " + (leader == null ? "no leader known yet" : "leader " + leader));
        System.out.flush();
        stopped.await(); // the shutdown hook ends the process once the member is closed
        return 0;
    }

    /**
     * Refuses, before anything is created, an address this member cannot listen on: Ratis would log the failure with
     * a stack trace and exit the JVM itself.
     */
    private static void checkListenable(Peer self) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(self.host(), self.port()));
        } catch (IOException e) {
            throw new IllegalArgumentException("member " + self.id() + " cannot listen on " + self.address()
                    + " (its address in --peers): " + e.getMessage());
        }
    }

    private static String awaitLeader(ReplicatedDatabase member) throws InterruptedException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        String leader;
        while ((leader = member.leaderId()) == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return leader;
    }
}
