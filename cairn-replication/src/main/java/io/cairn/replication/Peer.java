package io.cairn.replication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A member of a replication group: its id and the address its Raft server listens on.
 *
 * @param id   1 to 64 characters of letters, digits, '.', '_' and '-'
 * @param host a host name or IP address
 * @param port 1 to 65535
 */
public record Peer(String id, String host, int port) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public Peer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("peer id \"" + id
                    + "\" must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("peer " + id + " has an empty host");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("peer " + id + " has port " + port + "; a port is 1 to 65535");
        }
    }

    /** {@code host:port}. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Parses {@code id=host:port}. */
    public static Peer parse(String text) {
        Objects.requireNonNull(text, "peer");
        int eq = text.indexOf('=');
        int colon = text.lastIndexOf(':');
        if (eq <= 0 || colon < eq + 2 || colon == text.length() - 1) {
            throw new IllegalArgumentException("peer \"" + text + "\" is not id=host:port");
        }
        String host = text.substring(eq + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer \"" + text + "\" has port \"" + text.substring(colon + 1)
                    + "\", not a number");
        }
        return new Peer(text.substring(0, eq), host, port);
    }

    /** Parses a comma-separated list {@code id=host:port,id=host:port,...} (ids must differ). */
    public static List<Peer> parseList(String text) {
        Objects.requireNonNull(text, "peers");
        List<Peer> peers = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            peers.add(parse(part.strip()));
        }
        return checkDistinct(peers);
    }

    static List<Peer> checkDistinct(List<Peer> peers) {
        Set<String> ids = new HashSet<>();
        for (Peer p : peers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("peer id " + p.id() + " appears twice in " + peers);
            }
        }
        return List.copyOf(peers);
    }

    @Override
    public String toString() {
        return id + "=" + address();
    }
}
