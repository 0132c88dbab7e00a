package io.cairn.bench.replication;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A three-member etcd cluster on loopback: three {@code etcd} processes, each with its own data directory and its
 * default durability (its write-ahead log is fsynced before a write is acknowledged), driven through etcd's own Java
 * client (jetcd over gRPC, balancing round-robin over the three members' client URLs; a follower forwards a write
 * to the leader).
 */
final class EtcdCluster implements Contender {
    static final String NAME = "etcd";
    /** etcd refuses a transaction of more than 128 operations by default. */
    private static final int LOAD_BATCH = 128;
    private static final long READY_TIMEOUT_MILLIS = 60_000;
    private static final GetOption SERIALIZABLE = GetOption.builder().withSerializable(true).build();

    private final List<Process> members;
    private final Client client;
    private final KV kv;
    private final String version;

    private EtcdCluster(List<Process> members, Client client, String version) {
        this.members = members;
        this.client = client;
        this.kv = client.getKVClient();
        this.version = version;
    }

    /**
     * The etcd binary {@code etcd} names: a path as given, or a name looked up on PATH; null if there is none.
     */
    static Path locate(String etcd) {
        if (etcd.contains(File.separator)) {
            Path path = Path.of(etcd);
            return Files.isExecutable(path) ? path : null;
        }
        String pathVariable = System.getenv("PATH");
        for (String dir : pathVariable == null ? new String[0] : pathVariable.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, etcd);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The one line that says the etcd binary is missing and how to get it. */
    static String missing(String etcd) {
        return "etcd: no etcd server binary '" + etcd + "' (on PATH or as a path, option --etcd); install it with"
                + " 'sudo apt-get install -y etcd-server' (Debian/Ubuntu), or leave etcd out with"
                + " --contenders cairn-group,cairn-single";
    }

    /** Starts the cluster with each member's data and log in {@code dir/<name>}; returns once it takes writes. */
    static EtcdCluster start(Path binary, Path dir) throws Exception {
        int[] ports = Loopback.freePorts(6);
        List<String> clientUrls = new ArrayList<>();
        List<String> cluster = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clientUrls.add("http://" + Loopback.HOST + ":" + ports[2 * i]);
            cluster.add("e" + (i + 1) + "=http://" + Loopback.HOST + ":" + ports[2 * i + 1]);
        }
        List<Process> members = new ArrayList<>();
        Client client = null;
        try {
            for (int i = 0; i < 3; i++) {
                String name = "e" + (i + 1);
                Path data = dir.resolve(name);
                Files.createDirectories(data);
                String peerUrl = cluster.get(i).substring(name.length() + 1);
                members.add(new ProcessBuilder(binary.toString(), "--name", name, "--data-dir", data.toString(),
                        "--listen-client-urls", clientUrls.get(i), "--advertise-client-urls", clientUrls.get(i),
                        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                        "--initial-cluster", String.join(",", cluster), "--initial-cluster-token", "cairn-bench",
                        "--initial-cluster-state", "new")
                        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start());
            }
            client = Client.builder().endpoints(clientUrls.toArray(String[]::new)).build();
            EtcdCluster etcd = new EtcdCluster(members, client, version(binary));
            etcd.awaitWrites(dir);
            return etcd;
        } catch (Exception | Error e) {
            try {
                if (client != null) {
                    client.close();
                }
            } finally {
                Loopback.stop(members);
            }
            throw e;
        }
    }

    private static String version(Path binary) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output.lines().findFirst().orElse("unknown").strip();
    }

    /** Retries a put until the cluster has elected a leader and acknowledges it. */
    private void awaitWrites(Path dir) throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        ByteSequence probe = ByteSequence.from("cairn-bench-probe", StandardCharsets.UTF_8);
        while (true) {
            for (Process member : members) {
                if (!member.isAlive()) {
                    throw new IllegalStateException("an etcd member exited with status " + member.exitValue()
                            + "; its log is in " + dir.toAbsolutePath() + "/e*.log");
                }
            }
            try {
                kv.put(probe, probe).get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the etcd cluster took no write within " + READY_TIMEOUT_MILLIS
                            + " ms (logs in " + dir.toAbsolutePath() + "/e*.log): " + e, e);
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void load(byte[][] keys, byte[][] values) throws Exception {
        Contender.inSlices(keys.length, LOAD_BATCH, (from, to) -> {
            Op[] puts = new Op[to - from];
            for (int i = from; i < to; i++) {
                puts[i - from] = Op.put(ByteSequence.from(keys[i]), ByteSequence.from(values[i]), PutOption.DEFAULT);
            }
            kv.txn().Then(puts).commit().get();
        });
    }

    @Override
    public void put(byte[] key, byte[] value) throws Exception {
        kv.put(ByteSequence.from(key), ByteSequence.from(value)).get();
    }

    /** A serializable read: the member the client reaches answers from its own copy, as a Cairn member does. */
    @Override
    public byte[] get(byte[] key) throws Exception {
        GetResponse response = kv.get(ByteSequence.from(key), SERIALIZABLE).get();
        List<KeyValue> found = response.getKvs();
        return found.isEmpty() ? null : found.getFirst().getValue().getBytes();
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("members", "3 etcd processes on loopback, default fsync durability");
        facts.put("version", version);
        facts.put("client", "jetcd-core 0.8.5 (gRPC), round-robin over the 3 client URLs");
        return facts;
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
        } finally {
            Loopback.stop(members);
        }
    }
}
