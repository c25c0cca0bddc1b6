package dev.millrace.internal.rdd;

import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import java.io.Serializable;

/**
 * The three functions of {@code combineByKey}: start a combiner from a value, fold a value into a
 * combiner, merge two combiners.
 */
public record Aggregator<V, C>(
    Function<V, C> createCombiner, Function2<C, V, C> mergeValue, Function2<C, C, C> mergeCombiners)
    implements Serializable {}
