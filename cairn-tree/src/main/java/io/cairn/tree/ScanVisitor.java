package io.cairn.tree;

/** Receives the entries of {@link Scan#visit} in order; the view is valid only during the call. */
@FunctionalInterface
public interface ScanVisitor {

    /** Returns false to end the scan after this entry. */
    boolean visit(ScanView entry);
}
