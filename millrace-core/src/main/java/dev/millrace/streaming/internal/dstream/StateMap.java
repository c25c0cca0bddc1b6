package dev.millrace.streaming.internal.dstream;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The states of one partition of a {@code mapWithState} stream, versioned by batch.
 *
 * <p>Each batch needs its own version of the states (the previous batch's version must stay as it
 * was, since other readers may still use it), but copying every state each batch would cost time
 * proportional to the number of keys. Spark layers a delta map per batch over the previous version
 * and folds the chain every 20 versions, which makes reads walk the chain and costs a full copy
 * every 20 batches. This map is instead a persistent hash trie (32-way, as Clojure's and Scala's
 * immutable hash maps): {@link #copy()} is O(1) and shares everything; a write copies only the
 * trie nodes on the path to its key (at most 7), and nodes created by the current version are
 * updated in place, so a batch costs time proportional to the keys it touches, never to the
 * number of keys. A full scan (snapshots, timeouts, checkpoints) walks the trie without copying.
 *
 * <p>A version is written by one task (the one computing its batch's partition) and only read
 * after it was copied; writing to a version after {@code copy()} is safe but costs path copies.
 * Serializable, so that a cluster runtime can ship it; a deserialized copy shares no node with
 * the original.
 */
final class StateMap<K, S> implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** A key's state and the batch time (ms) it was last updated at. Immutable. */
  static final class Entry<S> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final S state;
    final long updateTime;

    Entry(S state, long updateTime) {
      this.state = state;
      this.updateTime = updateTime;
    }
  }

  /** A key with its entry; immutable, replaced on update. */
  private static final class Leaf<K, S> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final K key;
    final int hash;
    final Entry<S> entry;

    Leaf(K key, int hash, Entry<S> entry) {
      this.key = key;
      this.hash = hash;
      this.entry = entry;
    }
  }

  /** Keys whose hashes are fully equal; immutable. */
  private static final class Collision<K, S> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final int hash;
    final Leaf<K, S>[] leaves;

    Collision(int hash, Leaf<K, S>[] leaves) {
      this.hash = hash;
      this.leaves = leaves;
    }
  }

  /** A trie node: one slot per set bit of {@code bitmap}, each a Leaf, a Collision or a Node. */
  private static final class Node implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Transient: a deserialized node belongs to no version, so every write copies it. */
    final transient Object edit;
    int bitmap;
    Object[] slots;

    Node(Object edit, int bitmap, Object[] slots) {
      this.edit = edit;
      this.bitmap = bitmap;
      this.slots = slots;
    }
  }

  private Node root;
  private int size;
  /** Nodes whose {@code edit} is this token belong to this version alone and may change in place. */
  private transient volatile Object edit = new Object();

  /** An empty map. */
  StateMap() {}

  /** A deserialized map (shipped to or from a cluster) gets a fresh edit token of its own. */
  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    edit = new Object();
  }

  private StateMap(Node root, int size) {
    this.root = root;
    this.size = size;
  }

  private static int hash(Object key) {
    int h = key == null ? 0 : key.hashCode();
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private static int index(int bitmap, int bit) {
    return Integer.bitCount(bitmap & (bit - 1));
  }

  /** The entry of {@code key}, or null if it has no state. */
  @SuppressWarnings("unchecked")
  Entry<S> get(K key) {
    int h = hash(key);
    Node node = root;
    int shift = 0;
    while (node != null) {
      int bit = 1 << ((h >>> shift) & 31);
      if ((node.bitmap & bit) == 0) {
        return null;
      }
      Object child = node.slots[index(node.bitmap, bit)];
      if (child instanceof Leaf) {
        Leaf<K, S> leaf = (Leaf<K, S>) child;
        return leaf.hash == h && Objects.equals(leaf.key, key) ? leaf.entry : null;
      }
      if (child instanceof Collision) {
        for (Leaf<K, S> leaf : ((Collision<K, S>) child).leaves) {
          if (Objects.equals(leaf.key, key)) {
            return leaf.entry;
          }
        }
        return null;
      }
      node = (Node) child;
      shift += 5;
    }
    return null;
  }

  void put(K key, S state, long updateTime) {
    Object token = edit;
    if (root == null) {
      root = new Node(token, 0, new Object[0]);
    }
    root = put(root, 0, hash(key), new Leaf<>(key, hash(key), new Entry<>(state, updateTime)), token);
  }

  private Node editable(Node node, Object token) {
    return node.edit == token ? node : new Node(token, node.bitmap, node.slots.clone());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Node put(Node node, int shift, int h, Leaf<K, S> leaf, Object token) {
    int bit = 1 << ((h >>> shift) & 31);
    int idx = index(node.bitmap, bit);
    if ((node.bitmap & bit) == 0) {
      Object[] slots = new Object[node.slots.length + 1];
      System.arraycopy(node.slots, 0, slots, 0, idx);
      slots[idx] = leaf;
      System.arraycopy(node.slots, idx, slots, idx + 1, node.slots.length - idx);
      size++;
      if (node.edit == token) {
        node.slots = slots;
        node.bitmap |= bit;
        return node;
      }
      return new Node(token, node.bitmap | bit, slots);
    }
    Object child = node.slots[idx];
    Object replacement;
    if (child instanceof Leaf) {
      Leaf<K, S> existing = (Leaf<K, S>) child;
      if (existing.hash == h && Objects.equals(existing.key, leaf.key)) {
        replacement = leaf;
      } else if (existing.hash == h) {
        size++;
        replacement = new Collision<>(h, new Leaf[] {existing, leaf});
      } else {
        size++;
        replacement = split(existing, leaf, shift + 5, token);
      }
    } else if (child instanceof Collision) {
      Leaf<K, S>[] leaves = ((Collision<K, S>) child).leaves;
      Leaf<K, S>[] updated = null;
      for (int i = 0; i < leaves.length; i++) {
        if (Objects.equals(leaves[i].key, leaf.key)) {
          updated = leaves.clone();
          updated[i] = leaf;
          break;
        }
      }
      if (updated == null) {
        updated = java.util.Arrays.copyOf(leaves, leaves.length + 1);
        updated[leaves.length] = leaf;
        size++;
      }
      replacement = new Collision<>(h, updated);
    } else {
      replacement = put((Node) child, shift + 5, h, leaf, token);
      if (replacement == child) {
        return node;
      }
    }
    Node target = editable(node, token);
    target.slots[idx] = replacement;
    return target;
  }

  private Node split(Leaf<K, S> a, Leaf<K, S> b, int shift, Object token) {
    int ia = (a.hash >>> shift) & 31;
    int ib = (b.hash >>> shift) & 31;
    if (ia == ib) {
      return new Node(token, 1 << ia, new Object[] {split(a, b, shift + 5, token)});
    }
    return new Node(token, (1 << ia) | (1 << ib), ia < ib ? new Object[] {a, b} : new Object[] {b, a});
  }

  void remove(K key) {
    if (root != null) {
      root = remove(root, 0, hash(key), key, edit);
    }
  }

  /** The node without {@code key}; null when it becomes empty. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Node remove(Node node, int shift, int h, K key, Object token) {
    int bit = 1 << ((h >>> shift) & 31);
    if ((node.bitmap & bit) == 0) {
      return node;
    }
    int idx = index(node.bitmap, bit);
    Object child = node.slots[idx];
    Object replacement;
    if (child instanceof Leaf) {
      Leaf<K, S> leaf = (Leaf<K, S>) child;
      if (leaf.hash != h || !Objects.equals(leaf.key, key)) {
        return node;
      }
      replacement = null;
    } else if (child instanceof Collision) {
      Leaf<K, S>[] leaves = ((Collision<K, S>) child).leaves;
      int at = -1;
      for (int i = 0; i < leaves.length; i++) {
        if (Objects.equals(leaves[i].key, key)) {
          at = i;
        }
      }
      if (at < 0) {
        return node;
      }
      if (leaves.length == 2) {
        replacement = leaves[1 - at];
      } else {
        Leaf<K, S>[] rest = new Leaf[leaves.length - 1];
        System.arraycopy(leaves, 0, rest, 0, at);
        System.arraycopy(leaves, at + 1, rest, at, leaves.length - at - 1);
        replacement = new Collision<>(h, rest);
      }
      size--;
    } else {
      replacement = remove((Node) child, shift + 5, h, key, token);
      if (replacement == child) {
        return node;
      }
    }
    if (replacement == null) {
      if (child instanceof Leaf) {
        size--;
      }
      if (node.bitmap == bit) {
        return null;
      }
      Object[] slots = new Object[node.slots.length - 1];
      System.arraycopy(node.slots, 0, slots, 0, idx);
      System.arraycopy(node.slots, idx + 1, slots, idx, node.slots.length - idx - 1);
      if (node.edit == token) {
        node.slots = slots;
        node.bitmap &= ~bit;
        return node;
      }
      return new Node(token, node.bitmap & ~bit, slots);
    }
    Node target = editable(node, token);
    target.slots[idx] = replacement;
    return target;
  }

  /**
   * A new version sharing everything with this one. This version is frozen: later writes to it
   * copy the nodes they change instead of changing shared ones.
   */
  StateMap<K, S> copy() {
    edit = new Object();
    return new StateMap<>(root, size);
  }

  /** Receives entries. */
  @FunctionalInterface
  interface Visitor<K, S> {
    void visit(K key, Entry<S> entry);
  }

  /** Visits every entry once. */
  void forEach(Visitor<K, S> visitor) {
    if (root != null) {
      visit(root, visitor);
    }
  }

  @SuppressWarnings("unchecked")
  private void visit(Node node, Visitor<K, S> visitor) {
    for (Object child : node.slots) {
      if (child instanceof Leaf) {
        Leaf<K, S> leaf = (Leaf<K, S>) child;
        visitor.visit(leaf.key, leaf.entry);
      } else if (child instanceof Collision) {
        for (Leaf<K, S> leaf : ((Collision<K, S>) child).leaves) {
          visitor.visit(leaf.key, leaf.entry);
        }
      } else {
        visit((Node) child, visitor);
      }
    }
  }

  /** Number of entries. */
  int size() {
    return size;
  }

  /** The keys whose state was last updated before {@code threshold} (ms), with their entries. */
  List<Map.Entry<K, Entry<S>>> updatedBefore(long threshold) {
    List<Map.Entry<K, Entry<S>>> out = new ArrayList<>();
    forEach((k, e) -> {
      if (e.updateTime < threshold) {
        out.add(new AbstractMap.SimpleImmutableEntry<>(k, e));
      }
    });
    return out;
  }
}
