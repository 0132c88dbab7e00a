package io.cairn.cli;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What Apache Ratis (through SLF4J) and its shaded gRPC (through java.util.logging) print on standard error: nothing
 * for a command, whose failure is its one line, and the level {@code cairn serve --log} asks for on a server.
 */
final class RatisLogging {
    static final Map<String, Level> LEVELS = Map.of("off", Level.OFF, "error", Level.SEVERE, "warn", Level.WARNING,
            "info", Level.INFO, "debug", Level.FINE);

    /** Held: java.util.logging keeps only weak references to its loggers, and a collected one loses its level. */
    private static final Logger GRPC = Logger.getLogger("org.apache.ratis.thirdparty.io.grpc");

    private RatisLogging() {}

    /** Sets the level, one of {@link #LEVELS}' names; before Ratis first logs (SLF4J reads it once). */
    static void level(String name) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", name);
        GRPC.setLevel(LEVELS.get(name));
    }
}
