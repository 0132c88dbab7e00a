package io.cairn.bench.tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's resident memory from {@code /proc/self/status}: all of it ({@code VmRSS}), the anonymous part (Java
 * heap, native caches, off-heap arenas) and the file-backed part (memory-mapped files such as LMDB's map), in bytes;
 * -1 where the kernel does not say.
 */
record ResidentMemory(long total, long anonymous, long fileBacked) {
    private static final Path STATUS = Path.of("/proc/self/status");

    static ResidentMemory ofThisProcess() {
        try {
            return parse(Files.readAllLines(STATUS));
        } catch (IOException e) {
            return new ResidentMemory(-1, -1, -1);
        }
    }

    /** Reads the {@code VmRSS}, {@code RssAnon} and {@code RssFile} lines ("VmRSS:   1234 kB") of a status file. */
    static ResidentMemory parse(List<String> status) {
        return new ResidentMemory(field(status, "VmRSS:"), field(status, "RssAnon:"), field(status, "RssFile:"));
    }

    private static long field(List<String> status, String name) {
        for (String line : status) {
            if (line.startsWith(name)) {
                String[] words = line.substring(name.length()).trim().split("\\s+");
                if (words.length != 2 || !words[1].equals("kB")) {
                    throw new IllegalStateException("/proc/self/status: unexpected line '" + line + "'");
                }
                return Long.parseLong(words[0]) * 1024;
            }
        }
        return -1;
    }
}
