package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import io.cairn.stack.FormatVersionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front door: detection by magic, refusal of stacks without an allocator. */
class AllocatorsTest {
    private static final BStackOptions FAST = BStackOptions.defaults().withDurability(Durability.NONE);

    /** Every kind with a magic, by the name {@link Allocators#detect} gives it. */
    private static final Map<String, AllocatorFactory> KINDS = Map.of(
            "first-fit", new FirstFitContractTest.Factory(),
            "slab", new SlabContractTest.Factory(),
            "checked-slab", new CheckedSlabContractTest.Factory(),
            "ghost-tree", new GhostTreeContractTest.Factory(),
            "segregated", new SegregatedContractTest.Factory());

    @TempDir
    Path dir;

    private BStack stack(String name) throws IOException {
        return BStack.open(dir.resolve(name), FAST);
    }

    @Test
    void opensEveryKindItsFactoryCreated() throws IOException {
        for (Map.Entry<String, AllocatorFactory> kind : KINDS.entrySet()) {
            Class<?> type;
            long offset;
            try (Allocator created = kind.getValue().create(stack(kind.getKey()))) {
                Slice s = created.alloc(100);
                s.write(AllocatorContract.filled(100, 5));
                type = created.getClass();
                offset = s.offset();
            }
            try (BStack stack = stack(kind.getKey())) {
                assertEquals(Optional.of(kind.getKey()), Allocators.detect(stack));
            }
            try (Allocator opened = Allocators.open(stack(kind.getKey()))) {
                assertInstanceOf(type, opened, kind.getKey());
                assertEquals(kind.getKey(), opened.verify().kind());
                assertEquals(100, opened.slice(offset, 100).read().length);
            }
        }
    }

    @Test
    void aStackWithoutAnAllocatorIsRefusedSayingWhatItHolds() throws IOException {
        try (BStack stack = stack("plain")) {
            stack.push("hello, world".getBytes(StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), Allocators.detect(stack));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Allocators.open(stack));
            assertTrue(e.getMessage().contains("holds no allocator: 12 bytes starting \"hello, world\""),
                    e.getMessage());
            assertTrue(e.getMessage().contains(stack.path().toString()), e.getMessage());
            assertEquals(12, stack.length(), "the stack stays open and unchanged");
            stack.push(new byte[100]);
            e = assertThrows(IllegalArgumentException.class, () -> Allocators.open(stack));
            assertTrue(e.getMessage().contains("112 bytes starting \"hello, world\\x00"), e.getMessage());
            assertTrue(e.getMessage().contains("\"..."), e.getMessage());
        }
        try (BStack empty = stack("empty")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Allocators.open(empty));
            assertTrue(e.getMessage().contains("is empty"), e.getMessage());
            assertEquals(0, empty.length(), "nothing is created");
        }
    }

    @Test
    void anotherKindsMagicInTheUserBytesDoesNotMisleadDetection() throws IOException {
        try (GhostTreeAllocator ghost = GhostTreeAllocator.open(stack("ghost"))) {
            ghost.stack().set(16, "ALFF\0\1\1\0ALSG\0\2\2\0".getBytes(StandardCharsets.ISO_8859_1));
        }
        try (SegregatedAllocator segregated = SegregatedAllocator.open(stack("segregated"))) {
            segregated.stack().set(16, "ALFF\0\1\1\0".getBytes(StandardCharsets.ISO_8859_1));
        }
        try (BStack ghost = stack("ghost"); BStack segregated = stack("segregated")) {
            assertEquals(Optional.of("ghost-tree"), Allocators.detect(ghost));
            assertEquals(Optional.of("segregated"), Allocators.detect(segregated));
        }
    }

    @Test
    void aKnownNameWithAnUnknownVersionIsAFormatVersionErrorNotCorruption() throws IOException {
        Map<String, Long> magicAt = Map.of("first-fit", FirstFitAllocator.MAGIC_OFFSET,
                "slab", SlabAllocator.MAGIC_OFFSET, "checked-slab", CheckedSlabFormat.MAGIC_OFFSET,
                "ghost-tree", GhostTreeLayout.MAGIC_OFFSET, "segregated", SegregatedLayout.MAGIC_OFFSET);
        for (Map.Entry<String, AllocatorFactory> kind : KINDS.entrySet()) {
            kind.getValue().create(stack(kind.getKey())).close();
            try (BStack stack = stack(kind.getKey())) {
                stack.set(magicAt.get(kind.getKey()) + 5, new byte[] {9}); // minor 9
                assertEquals(Optional.of(kind.getKey()), Allocators.detect(stack));
                FormatVersionException e = assertThrows(FormatVersionException.class, () -> Allocators.open(stack),
                        kind.getKey());
                assertTrue(e.found().startsWith("0.9."), e.getMessage());
                assertTrue(e.getMessage().contains(kind.getKey() + " allocator"), e.getMessage());
            }
        }
    }
}
