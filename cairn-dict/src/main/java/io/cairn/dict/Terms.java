package io.cairn.dict;

import java.util.Arrays;
import java.util.Objects;

/** Enumerates the terms of any {@link Dictionary} by walking its nodes, depth first in ascending label order. */
final class Terms {
    private Terms() {}

    /** Receives each term with the final node that ends it. */
    @FunctionalInterface
    interface TermVisitor {
        void term(String term, Node node);
    }

    /**
     * Calls {@code visitor} for every term of {@code dictionary} in ascending unit order. Uses an explicit stack,
     * so very long terms cannot overflow the thread's stack.
     */
    static void forEach(Dictionary dictionary, TermVisitor visitor) {
        Objects.requireNonNull(dictionary, "dictionary");
        Objects.requireNonNull(visitor, "visitor");
        Alphabet alphabet = dictionary.alphabet();
        Frame[] stack = new Frame[16];
        int[] path = new int[16];
        int depth = 0;
        stack[0] = new Frame(dictionary.root());
        while (depth >= 0) {
            Frame frame = stack[depth];
            if (frame.next == 0 && frame.labels == null) {
                frame.expand();
                if (frame.node.isFinal()) {
                    visitor.term(Units.term(path, depth, alphabet), frame.node);
                }
            }
            if (frame.next == frame.labels.length) {
                stack[depth--] = null;
                continue;
            }
            int label = frame.labels[frame.next];
            Node child = frame.children[frame.next++];
            if (depth + 1 == stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
                path = Arrays.copyOf(path, path.length * 2);
            }
            path[depth] = label;
            stack[++depth] = new Frame(child);
        }
    }

    private static final class Frame {
        final Node node;
        int[] labels;
        Node[] children;
        int next;

        Frame(Node node) {
            this.node = node;
        }

        void expand() {
            int count = node.edgeCount();
            labels = new int[count];
            children = new Node[count];
            int[] i = {0};
            node.forEachEdge((label, target) -> {
                labels[i[0]] = label;
                children[i[0]++] = target;
            });
        }
    }
}
