package io.cairn.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback, put in front of a member's server to inject network faults: {@link #cut} drops every
 * connection and refuses new ones (the member hears nothing: a partition of its inbound side), {@link #delay}
 * holds every chunk of bytes for a while in both directions.
 */
final class LoopbackProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean cut;
    private volatile long delayMillis;

    /** Listens on {@code port} and forwards to {@code target}, both on loopback. */
    LoopbackProxy(int port, int target) throws IOException {
        this.target = target;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        acceptor = Thread.ofPlatform().daemon().name("proxy-" + port).start(this::accept);
    }

    /** Drops every connection and refuses new ones (true), or lets them through again (false). */
    void cut(boolean value) {
        cut = value;
        if (value) {
            for (Socket s : sockets) {
                closeQuietly(s);
            }
            sockets.clear();
        }
    }

    /** Holds each chunk of bytes this long before passing it on (0: none). */
    void delay(long millis) {
        delayMillis = millis;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                if (cut) {
                    closeQuietly(in);
                    continue;
                }
                Socket out;
                try {
                    out = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException refused) {
                    // the member is down (restarting): drop the caller's connection, as its own refusal would, so
                    // the caller connects again later instead of waiting forever on a socket nobody serves
                    closeQuietly(in);
                    continue;
                }
                sockets.add(in);
                sockets.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                // closed, or the target refused: the caller sees a dropped connection, as on a real network
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[16 << 10];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    long d = delayMillis;
                    if (d > 0) {
                        Thread.sleep(d);
                    }
                    if (cut) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a side closed: close the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut(true);
    }
}
