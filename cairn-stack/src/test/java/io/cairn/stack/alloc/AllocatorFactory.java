package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

/**
 * How the shared allocator suites ({@link AllocatorContract} and its drivers) make, reopen and judge one
 * allocator kind. Implementations need a public no-argument constructor: the SIGKILL driver names the factory
 * class to a child JVM, which instantiates it by reflection.
 */
public interface AllocatorFactory {

    /** A short name for messages. */
    String name();

    /** A new allocator over an empty stack. */
    Allocator create(BStack emptyStack) throws IOException;

    /** Reopens the allocator an earlier {@link #create} wrote into {@code stack} (running its recovery). */
    Allocator open(BStack stack) throws IOException;

    /** Whether {@code realloc} works only on the tail allocation (the linear allocator). */
    default boolean reallocatesOnlyTail() {
        return false;
    }

    /** Whether freeing a slice twice is rejected rather than undefined. */
    default boolean detectsDoubleFree() {
        return false;
    }

    /**
     * The most bytes one interrupted operation may leave unaccounted after a reopen, when the largest allocation
     * involved is {@code largest} bytes ({@link AllocatorReport#unaccounted()} must stay within it).
     */
    default long leakBound(long largest) {
        return 4 * (largest + 64);
    }

    /** Instantiates a factory class by name (for child JVMs). */
    static AllocatorFactory byClassName(String className) {
        try {
            return (AllocatorFactory) Class.forName(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no usable AllocatorFactory class " + className, e);
        }
    }
}
