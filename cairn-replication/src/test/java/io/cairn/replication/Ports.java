package io.cairn.replication;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Peers on loopback ports that were free a moment ago (the OS picks them). */
final class Ports {
    private Ports() {}

    static List<Peer> loopbackPeers(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Peer> peers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                peers.add(new Peer("n" + (i + 1), "127.0.0.1", s.getLocalPort()));
            }
            return peers;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
