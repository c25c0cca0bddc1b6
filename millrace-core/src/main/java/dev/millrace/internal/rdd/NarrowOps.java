package dev.millrace.internal.rdd;

import dev.millrace.Tuple2;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The per-record iterators of the narrow operations. Each wraps its input iterator, so a chain of
 * operations is a chain of iterators pulled once per record: the fused, single pass over a
 * partition. A user function's failure is wrapped with the operation's name; a failure that
 * comes from upstream passes through unchanged.
 */
final class NarrowOps {
  private NarrowOps() {}

  static final class MapIterator<T, U> implements Iterator<U> {
    private final Iterator<T> in;
    private final Function<T, U> f;
    private final RDD<?> owner;

    MapIterator(Iterator<T> in, Function<T, U> f, RDD<?> owner) {
      this.in = in;
      this.f = f;
      this.owner = owner;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public U next() {
      T t = in.next();
      try {
        return f.call(t);
      } catch (Exception e) {
        throw owner.userFunctionFailed(e);
      }
    }
  }

  static final class FlatMapIterator<T, U> implements Iterator<U> {
    private final Iterator<T> in;
    private final FlatMapFunction<T, U> f;
    private final RDD<?> owner;
    private Iterator<U> current = Collections.emptyIterator();

    FlatMapIterator(Iterator<T> in, FlatMapFunction<T, U> f, RDD<?> owner) {
      this.in = in;
      this.f = f;
      this.owner = owner;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (!in.hasNext()) {
          return false;
        }
        T t = in.next();
        Iterator<U> next;
        try {
          next = f.call(t);
        } catch (Exception e) {
          throw owner.userFunctionFailed(e);
        }
        if (next == null) {
          throw owner.userFunctionFailed(new NullPointerException("flatMap function returned null for " + t));
        }
        current = next;
      }
      return true;
    }

    @Override
    public U next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }

  static final class FilterIterator<T> implements Iterator<T> {
    private final Iterator<T> in;
    private final Function<T, Boolean> f;
    private final RDD<?> owner;
    private T pending;
    private boolean hasPending;

    FilterIterator(Iterator<T> in, Function<T, Boolean> f, RDD<?> owner) {
      this.in = in;
      this.f = f;
      this.owner = owner;
    }

    @Override
    public boolean hasNext() {
      while (!hasPending) {
        if (!in.hasNext()) {
          return false;
        }
        T t = in.next();
        boolean keep;
        try {
          keep = f.call(t);
        } catch (Exception e) {
          throw owner.userFunctionFailed(e);
        }
        if (keep) {
          pending = t;
          hasPending = true;
        }
      }
      return true;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      hasPending = false;
      T t = pending;
      pending = null;
      return t;
    }
  }

  static final class MapValuesIterator<K, V, W> implements Iterator<Tuple2<K, W>> {
    private final Iterator<Tuple2<K, V>> in;
    private final Function<V, W> f;
    private final RDD<?> owner;

    MapValuesIterator(Iterator<Tuple2<K, V>> in, Function<V, W> f, RDD<?> owner) {
      this.in = in;
      this.f = f;
      this.owner = owner;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public Tuple2<K, W> next() {
      Tuple2<K, V> t = in.next();
      try {
        return new Tuple2<>(t._1(), f.call(t._2()));
      } catch (Exception e) {
        throw owner.userFunctionFailed(e);
      }
    }
  }

  static final class FlatMapValuesIterator<K, V, W> implements Iterator<Tuple2<K, W>> {
    private final Iterator<Tuple2<K, V>> in;
    private final FlatMapFunction<V, W> f;
    private final RDD<?> owner;
    private K key;
    private Iterator<W> current = Collections.emptyIterator();

    FlatMapValuesIterator(Iterator<Tuple2<K, V>> in, FlatMapFunction<V, W> f, RDD<?> owner) {
      this.in = in;
      this.f = f;
      this.owner = owner;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (!in.hasNext()) {
          return false;
        }
        Tuple2<K, V> t = in.next();
        try {
          current = f.call(t._2());
        } catch (Exception e) {
          throw owner.userFunctionFailed(e);
        }
        key = t._1();
      }
      return true;
    }

    @Override
    public Tuple2<K, W> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return new Tuple2<>(key, current.next());
    }
  }
}
