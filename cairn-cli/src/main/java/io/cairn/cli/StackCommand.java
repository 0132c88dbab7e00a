package io.cairn.cli;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackCheck;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.StackFormat;
import io.cairn.stack.alloc.Allocators;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn stack}: inspect and edit a {@link BStack} file. Reads take a shared lock, edits an exclusive one,
 * so every subcommand fails at once, naming the file, while a writer holds it.
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Inspect and edit a durable binary stack file (BStack).",
        subcommands = {StackCommand.Info.class, StackCommand.Push.class, StackCommand.Pop.class,
                StackCommand.Peek.class, StackCommand.Get.class, StackCommand.Overwrite.class, StackCommand.Verify.class,
                StackCommand.Migrate.class})
final class StackCommand extends CommandGroup {
    /** Exit code of {@code verify} when the file opens but open would repair it. */
    static final int NEEDS_REPAIR = 3;

    /** The stack file argument every subcommand takes first. */
    static final class FileArgument {
        @Parameters(index = "0", paramLabel = "FILE", description = "The stack file.")
        Path file;

        /** The file, which must exist (only push creates one) and be an ordinary file. */
        Path existing() throws IOException {
            return InputFiles.existing(file, InputFiles.Kind.STACK.words);
        }

        /** The existing file's header, read without changing it. */
        BStackCheck check() throws IOException {
            return InputFiles.openExisting(file, InputFiles.Kind.STACK, BStack::check);
        }

        /** The existing stack, opened read-only. */
        BStack openReadOnly() throws IOException {
            return InputFiles.openExisting(file, InputFiles.Kind.STACK, BStack::openReadOnly);
        }
    }

    /**
     * {@code --force} for edits: a file whose payload holds an allocator is refused without it, since a raw push or
     * pop breaks the allocator's structure.
     */
    static final class AllocatorGuard {
        @Option(names = "--force", description = "Edit FILE even if it holds an allocator (a raw edit breaks it).")
        boolean force;

        /**
         * Refuses, unless forced, to edit {@code stack} if it holds an allocator. It takes the stack opened for the
         * edit, after open's recovery: an interrupted 0.4 write hides the payload from a read-only handle until it
         * is replayed. Open's recovery changes no committed byte, so a refused edit still changes nothing.
         */
        void check(BStack stack) throws IOException {
            if (force) {
                return;
            }
            Optional<String> kind = Allocators.detect(stack);
            if (kind.isPresent()) {
                throw new IllegalStateException(stack.path() + " holds a " + kind.get() + " allocator: a raw edit "
                        + "would break it (inspect it with 'cairn alloc', or pass --force)");
            }
        }
    }

    /** The JSON fields of the commands that show bytes ({@code peek}, {@code get}, {@code pop}). */
    static final String BYTES_JSON = "  offset  where the bytes start in the stack%n"
            + "  length  how many bytes%n"
            + "  text    the bytes as text when they are UTF-8 without control characters (but tab and newline), "
            + "else null%n"
            + "  hex     the bytes in hexadecimal";

    /** How bytes read from the stack are shown. */
    static final class Display {
        @Option(names = "--hex", description = "Always show a hex dump, even for text.")
        boolean hex;

        @Option(names = "--raw", description = "Write the bytes as they are, for piping.")
        boolean raw;

        @Mixin
        JsonOption json;

        void show(PrintStream out, byte[] bytes, long offset) {
            if (json.enabled) {
                json.writer(out).beginObject().field("offset", offset).field("length", bytes.length)
                        .field("text", printableText(bytes)).field("hex", HexFormat.of().formatHex(bytes))
                        .endObject().end();
                return;
            }
            if (raw) {
                out.writeBytes(bytes);
                out.flush();
                return;
            }
            String text = hex ? null : printableText(bytes);
            if (bytes.length == 0) {
                out.println("(0 bytes)");
            } else if (text != null) {
                out.println(text);
            } else {
                out.print(hexDump(bytes, offset));
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show the length and format of FILE.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  file        the stack file",
                    "  format      the header's version (major.minor.patch), or null for an empty file",
                    "  journaled   true for the 0.4 format (crash-atomic in-place writes), false for 0.1/0.2",
                    "  length      the stack's length in bytes, as an open would recover it",
                    "  fileSize    the file's size in bytes (header + payload)",
                    "  consistent  false when an open would repair the file (see 'cairn stack verify')"})
    static final class Info implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            BStackCheck check = file.check();
            Path path = check.path();
            PrintStream out = System.out;
            boolean consistent = check.needsHeader() || check.isConsistent();
            if (json.enabled) {
                json.writer(out).beginObject().field("file", path.toString())
                        .field("format", check.needsHeader() ? null : check.formatVersion())
                        .field("journaled", !check.needsHeader() && check.format() == StackFormat.V0_4)
                        .field("length", check.recoveredLength()).field("fileSize", check.fileSize())
                        .field("consistent", consistent).endObject().end();
                return 0;
            }
            out.println("file:     " + path);
            out.println("format:   BStack " + (check.needsHeader() ? "(empty file, no header yet)"
                    : check.formatVersion() + describe(check.format())));
            out.println("length:   " + check.recoveredLength() + " bytes");
            out.println("on disk:  " + check.fileSize() + " bytes (" + (check.needsHeader() ? "no header yet"
                    : check.format().headerSize() + "-byte header + payload") + ")");
            if (!consistent) {
                out.println("note:     the file needs recovery; run 'cairn stack verify' for details");
            }
            return 0;
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = {"Append DATA (or standard input) durably as one record; prints its offset. Creates FILE if "
                    + "missing.", "Standard input is streamed into the stack (any size, little memory) and "
                    + "committed once at the end: if it fails, nothing is added."},
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  offset  where the pushed bytes start", "  pushed  how many bytes were pushed",
                    "  length  the stack's length after the push"})
    static final class Push implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Mixin
        JsonOption json;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DATA",
                description = "The bytes to push, as UTF-8 text (or hex with --hex); read from standard input if absent.")
        String data;

        @Option(names = "--hex", description = "DATA (or standard input) is hexadecimal, e.g. 00ff10.")
        boolean hex;

        @Option(names = "--format", paramLabel = "0.2|0.4", defaultValue = "0.4",
                description = "The format of a file this push creates (default ${DEFAULT-VALUE}; 0.2 for readers "
                        + "that predate 0.4). An existing file keeps its own.")
        String format;

        @Mixin
        AllocatorGuard guard;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            BStackOptions options = BStackOptions.defaults().withFormat(switch (format) {
                case "0.2" -> StackFormat.V0_2;
                case "0.4" -> StackFormat.V0_4;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--format must be 0.2 or 0.4, not '" + abbreviate(format) + "'");
            });
            byte[] bytes = data == null ? null : input(data, hex, spec);
            try (BStack stack = openForEdit(file.file, options)) {
                guard.check(stack);
                long offset;
                long pushed;
                if (bytes != null) {
                    offset = stack.push(bytes);
                    pushed = bytes.length;
                } else {
                    try (Progress progress = Progress.start("push", -1, " MiB", 1 << 20)) {
                        CountingInputStream in = new CountingInputStream(System.in, progress);
                        offset = stack.push(hex ? new HexInputStream(in) : in);
                        pushed = stack.length() - offset;
                    }
                }
                if (json.enabled) {
                    json.writer(System.out).beginObject().field("offset", offset).field("pushed", pushed)
                            .field("length", stack.length()).endObject().end();
                } else {
                    System.out.println("pushed " + pushed + " bytes at offset " + offset + "; length now "
                            + stack.length());
                }
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Overwrite the bytes at OFFSET with DATA (or standard input), in place; the length does "
                    + "not change.", "On a 0.4 file the write is crash-atomic (journaled when it spans more than one"
                    + " 256-byte block); on a 0.1/0.2 file a crash during it can leave a mix of old and new bytes."},
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  offset   where the bytes were written", "  written  how many bytes were written",
                    "  length   the stack's length (unchanged)"})
    static final class Overwrite implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Mixin
        JsonOption json;

        @Mixin
        AllocatorGuard guard;

        @Parameters(index = "1", paramLabel = "OFFSET", description = "Where to write.")
        long offset;

        @Parameters(index = "2", arity = "0..1", paramLabel = "DATA",
                description = "The bytes to write, as UTF-8 text (or hex with --hex); read from standard input if absent.")
        String data;

        @Option(names = "--hex", description = "DATA (or standard input) is hexadecimal, e.g. 00ff10.")
        boolean hex;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path path = file.existing();
            byte[] bytes = input(data, hex, spec);
            try (BStack stack = openForEdit(path, BStackOptions.defaults())) {
                guard.check(stack);
                stack.set(offset, bytes);
                if (json.enabled) {
                    json.writer(System.out).beginObject().field("offset", offset).field("written", bytes.length)
                            .field("length", stack.length()).endObject().end();
                } else {
                    System.out.println("wrote " + bytes.length + " bytes at offset " + offset + "; length "
                            + stack.length());
                }
            }
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Convert a 0.1/0.2 stack file to the 0.4 format (crash-atomic in-place writes), keeping "
                    + "its payload byte for byte.", "Writes FILE.migrating, forces it, renames it over FILE and forces "
                    + "the directory: a crash at any point leaves the old file or the new one. A 0.4 file is left as "
                    + "it is. Takes the file's exclusive lock."},
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  file      the stack file", "  migrated  true if the file was converted, false if it already "
                    + "was 0.4 (or empty)"})
    static final class Migrate implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            Path path = file.existing();
            boolean migrated = BStack.migrate(path);
            if (json.enabled) {
                json.writer(System.out).beginObject().field("file", path.toString()).field("migrated", migrated)
                        .endObject().end();
            } else if (migrated) {
                System.out.println("migrated " + path + " to the 0.4 format");
            } else {
                System.out.println(path + " is already in the 0.4 format (or empty); nothing changed");
            }
            return 0;
        }
    }

    /** The bytes of DATA (or standard input), as UTF-8 text or, with {@code hex}, hexadecimal. */
    static byte[] input(String data, boolean hex, CommandLine.Model.CommandSpec spec) throws IOException {
        byte[] input = data != null ? data.getBytes(StandardCharsets.UTF_8) : System.in.readAllBytes();
        if (!hex) {
            return input;
        }
        String digits = new String(input, StandardCharsets.US_ASCII).replaceAll("\\s+", "");
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "DATA is not hexadecimal (an even number of 0-9a-f digits): '" + abbreviate(digits) + "'");
        }
    }

    /** What a format promises, for {@code info}. */
    static String describe(StackFormat format) {
        return format == StackFormat.V0_4 ? " (0.4: in-place writes are crash-atomic)"
                : " (0.1/0.2: an in-place write is not crash-atomic; 'cairn stack migrate' converts the file to 0.4)";
    }

    @Command(name = "pop", mixinStandardHelpOptions = true,
            description = {"Show the last N bytes, then remove them.",
                    "They are removed only once they were written out: if standard output fails, nothing is popped."},
            footerHeading = "%nJSON fields (--json):%n", footer = BYTES_JSON)
    static final class Pop implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Parameters(index = "1", paramLabel = "N", description = "How many bytes to remove.")
        long n;

        @Mixin
        Display display;

        @Mixin
        AllocatorGuard guard;

        @Override
        public Integer call() throws IOException {
            if (n < 0) {
                throw new IllegalArgumentException("N must not be negative: " + n);
            }
            try (BStack stack = openForEdit(file.existing(), BStackOptions.defaults())) {
                guard.check(stack);
                long length = stack.length();
                if (n > length) {
                    throw new IndexOutOfBoundsException("pop of " + n + " bytes from a stack of " + length + " bytes");
                }
                display.show(System.out, stack.get(length - n, length), length - n);
                System.out.flush();
                if (System.out.checkError()) {
                    throw new IOException("standard output failed, so nothing was popped from " + file.file);
                }
                stack.discard(n);
                if (!display.raw && !display.json.enabled) {
                    System.out.println("popped " + n + " bytes; length now " + stack.length());
                }
            }
            return 0;
        }
    }

    /** Opens {@code file} for writing and says on standard error what open repaired, if anything. */
    static BStack openForEdit(Path file, BStackOptions options) throws IOException {
        BStack stack = InputFiles.open(file, InputFiles.Kind.STACK, path -> BStack.open(path, options));
        BStackCheck found = stack.opened();
        if (!found.needsHeader() && !found.isConsistent()) {
            System.err.println("cairn: repaired " + file + " on open: " + found.recovery() + "; "
                    + outcome(found, "now"));
        }
        return stack;
    }

    @Command(name = "peek", mixinStandardHelpOptions = true,
            description = "Show the bytes from OFFSET (default 0) to the end.",
            footerHeading = "%nJSON fields (--json):%n", footer = BYTES_JSON)
    static final class Peek implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Parameters(index = "1", arity = "0..1", paramLabel = "OFFSET", defaultValue = "0",
                description = "Where to start (default ${DEFAULT-VALUE}).")
        long offset;

        @Mixin
        Display display;

        @Override
        public Integer call() throws IOException {
            try (BStack stack = file.openReadOnly()) {
                display.show(System.out, stack.peek(offset), offset);
            }
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show the bytes in [START, END).",
            footerHeading = "%nJSON fields (--json):%n", footer = BYTES_JSON)
    static final class Get implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Parameters(index = "1", paramLabel = "START", description = "First byte.")
        long start;

        @Parameters(index = "2", paramLabel = "END", description = "End of the range (exclusive).")
        long end;

        @Mixin
        Display display;

        @Override
        public Integer call() throws IOException {
            try (BStack stack = file.openReadOnly()) {
                display.show(System.out, stack.get(start, end), start);
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check the header and the committed length against the file size, without changing "
                    + "anything, and report what opening the file would repair.",
                    "Exit 0: consistent; " + NEEDS_REPAIR + ": open would repair it; 1: corrupt or unreadable."},
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  file             the stack file",
                    "  fileSize         the file's size in bytes",
                    "  format           the header's version (major.minor.patch), or null for an empty file",
                    "  committedLength  the header's committed length (clen), or null for an empty file",
                    "  length           the length an open would recover",
                    "  consistent       true when an open would change nothing",
                    "  journalArmed     true when a 0.4 file holds an interrupted journaled write",
                    "  repair           what an open would repair, in words, or null"})
    static final class Verify implements Callable<Integer> {
        @Mixin
        FileArgument file;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            BStackCheck check = file.check();
            boolean consistent = !check.needsHeader() && check.isConsistent();
            String repair = consistent ? null : repairNeeded(check);
            if (json.enabled) {
                JsonWriter w = json.writer(System.out).beginObject().field("file", check.path().toString())
                        .field("fileSize", check.fileSize())
                        .field("format", check.needsHeader() ? null : check.formatVersion()).name("committedLength");
                if (check.needsHeader()) {
                    w.value((String) null);
                } else {
                    w.value(check.committedLength());
                }
                w.field("length", check.recoveredLength()).field("consistent", consistent)
                        .field("journalArmed", check.journalArmed()).field("repair", repair)
                        .endObject().end();
                return consistent ? 0 : NEEDS_REPAIR;
            }
            PrintStream out = System.out;
            out.println("file:     " + check.path() + " (" + check.fileSize() + " bytes)");
            if (check.needsHeader()) {
                out.println("status:   " + repair);
                return NEEDS_REPAIR;
            }
            out.println("header:   ok (BStack " + check.formatVersion() + ")");
            if (check.journalArmed()) {
                out.println("journal:  armed: an interrupted write that open will finish or undo");
            }
            out.println("clen:     " + Long.toUnsignedString(check.committedLength()) + " bytes; payload on disk: "
                    + check.payloadOnDisk() + " bytes");
            if (consistent) {
                out.println("status:   consistent; length " + check.recoveredLength() + " bytes");
                return 0;
            }
            out.println("status:   " + repair);
            return NEEDS_REPAIR;
        }
    }

    /** What a writable open of a file in the state {@code check} describes would change, in words. */
    static String repairNeeded(BStackCheck check) {
        if (check.needsHeader()) {
            return "empty file; open would write the header of an empty stack";
        }
        return "open would " + check.recovery() + "; " + outcome(check, "then");
    }

    /** The length and file size a recovery leaves, e.g. "length then 3 bytes, file 35 bytes". */
    private static String outcome(BStackCheck check, String when) {
        return "length " + when + " " + check.recoveredLength() + " bytes, file "
                + (check.format().headerSize() + check.recoveredLength()) + " bytes";
    }

    /** The bytes as text if they are valid UTF-8 without control characters other than tab and newline. */
    static String printableText(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        boolean printable = text.codePoints().allMatch(c -> c == '\n' || c == '\t' || !Character.isISOControl(c));
        return printable ? text : null;
    }

    /** A classic hex dump: offset, 16 bytes in hex, and their printable ASCII. */
    static String hexDump(byte[] bytes, long baseOffset) {
        StringBuilder sb = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (int row = 0; row < bytes.length; row += 16) {
            int end = Math.min(row + 16, bytes.length);
            sb.append(String.format("%08x  ", baseOffset + row));
            for (int i = row; i < row + 16; i++) {
                sb.append(i < end ? hex.toHexDigits(bytes[i]) + " " : "   ");
                if (i == row + 7) {
                    sb.append(' ');
                }
            }
            sb.append(" |");
            for (int i = row; i < end; i++) {
                int b = bytes[i] & 0xFF;
                sb.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
            }
            sb.append("|\n");
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
