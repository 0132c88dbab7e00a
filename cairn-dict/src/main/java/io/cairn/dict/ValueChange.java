package io.cairn.dict;

/**
 * The two values of a term that {@link Dictionaries#valueDiff} found changed.
 *
 * @param first its value in the first dictionary, or null if it carries none there
 * @param second its value in the second dictionary, or null if it carries none there
 */
public record ValueChange<V>(V first, V second) {}
