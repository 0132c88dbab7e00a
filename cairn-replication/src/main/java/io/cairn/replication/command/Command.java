package io.cairn.replication.command;

import java.util.List;
import java.util.Objects;

/**
 * A write to the replicated database: the payload of one Raft log entry ({@link CommandCodec}). Every replica
 * applies the same commands in log order, evaluating conditions and guards then, so all reach the same state.
 */
public sealed interface Command {

    /** One operation on one tree, answered like the tree's own method (a rename says why it failed). */
    record Point(String tree, Op op) implements Command {
        public Point {
            Objects.requireNonNull(tree, "tree");
            Objects.requireNonNull(op, "op");
        }
    }

    /** An atomic batch across trees: every guard and condition of every tree first, then all of it or nothing. */
    record Atomic(List<TreeOps> trees) implements Command {
        public Atomic {
            trees = List.copyOf(trees);
        }
    }

    /** The operations of one tree in an {@link Atomic} batch, in the order recorded. */
    record TreeOps(String tree, List<Op> ops) {
        public TreeOps {
            Objects.requireNonNull(tree, "tree");
            ops = List.copyOf(ops);
        }
    }

    /** Creates an empty tree (answered {@link Reply.Status#TREE_EXISTS} if there is one). */
    record CreateTree(String name) implements Command {
        public CreateTree {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Drops a tree and everything in it (answered {@link Reply.Status#NO_SUCH_TREE} if there is none). */
    record DropTree(String name) implements Command {
        public DropTree {
            Objects.requireNonNull(name, "name");
        }
    }
}
