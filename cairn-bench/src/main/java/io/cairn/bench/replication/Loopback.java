package io.cairn.bench.replication;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ports and processes of a group run on this machine's loopback interface. */
final class Loopback {
    static final String HOST = "127.0.0.1";

    private Loopback() {}

    /**
     * {@code count} distinct ports that were free a moment ago (bound together on loopback, then released, so the
     * kernel hands out different ones).
     */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * Stops every process: SIGTERM to all (each shuts down cleanly, in parallel), then SIGKILL to any still running
     * after 15 s; returns once all have exited.
     */
    static void stop(List<Process> processes) throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
