package io.cairn.tree;

/**
 * One change in a database's change feed ({@link ChangeRecord}): what happened to one key, or to a tree. Changes
 * are effects, decided by the leader: applying them needs no condition and gives the same result however often.
 * Trees are named by id (stable for a tree's life; a name can be dropped and created again as another tree);
 * {@link CreateTree} gives an id its name. Arrays are the feed's own: do not change them.
 */
public sealed interface Change {

    /** The tree the change applies to. */
    int treeId();

    /** {@code key} holds {@code value} at {@code version}. */
    record Put(int treeId, byte[] key, byte[] value, long version) implements Change {}

    /** {@code key} is absent. */
    record Delete(int treeId, byte[] key) implements Change {}

    /** {@code source} is absent and {@code target} holds {@code value} at {@code version}. */
    record Rename(int treeId, byte[] source, byte[] target, byte[] value, long version) implements Change {}

    /** A new, empty tree with this id and name. */
    record CreateTree(int treeId, String name) implements Change {}

    /** The tree and everything in it are gone. */
    record DropTree(int treeId) implements Change {}
}
