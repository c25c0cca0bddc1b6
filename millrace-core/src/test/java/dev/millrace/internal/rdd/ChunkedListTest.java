package dev.millrace.internal.rdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The chunked record list that held partitions are stored in. */
class ChunkedListTest {

  private static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void collect_keepsEveryRecordInOrder_acrossChunkBoundaries() {
    for (int n : new int[] {0, 1, 15, 16, 17, 63, 64, 65, ChunkedList.CHUNK - 1, ChunkedList.CHUNK,
        ChunkedList.CHUNK + 1, 3 * ChunkedList.CHUNK + 7}) {
      List<Integer> expected = upTo(n);
      ChunkedList<Integer> list = ChunkedList.collect(expected.iterator());
      assertThat(list).as("n=%d", n).hasSize(n).containsExactlyElementsOf(expected);
      List<Integer> byIndex = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        byIndex.add(list.get(i));
      }
      assertThat(byIndex).isEqualTo(expected);
    }
  }

  @Test
  void collect_keepsNullRecords() {
    List<String> in = new ArrayList<>();
    in.add(null);
    in.add("a");
    in.add(null);
    assertThat(ChunkedList.collect(in.iterator())).containsExactly(null, "a", null);
  }

  @Test
  void isUnmodifiable_andChecksBounds() {
    ChunkedList<Integer> list = ChunkedList.collect(upTo(3).iterator());
    assertThatThrownBy(() -> list.add(4)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.set(0, 4)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    Iterator<Integer> it = list.iterator();
    it.next();
    it.next();
    it.next();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }
}
