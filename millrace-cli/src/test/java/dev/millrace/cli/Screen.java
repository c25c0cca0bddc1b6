package dev.millrace.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A terminal that standard output and standard error both write to: it applies carriage returns
 * (back to column 0, later characters overwrite) and newlines, as a terminal shows them.
 */
final class Screen {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  /** Both streams write here; autoflush off, the command flushes. */
  final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** What the terminal shows, one string per row, trailing blanks removed. */
  synchronized List<String> rows() {
    String raw;
    synchronized (bytes) {
      raw = bytes.toString(StandardCharsets.UTF_8);
    }
    return render(raw);
  }

  static List<String> render(String raw) {
    List<String> rows = new ArrayList<>();
    StringBuilder row = new StringBuilder();
    int col = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\n') {
        rows.add(row.toString().stripTrailing());
        row.setLength(0);
        col = 0;
      } else if (c == '\r') {
        col = 0;
      } else {
        if (col < row.length()) {
          row.setCharAt(col, c);
        } else {
          row.append(c);
        }
        col++;
      }
    }
    rows.add(row.toString().stripTrailing());
    return rows;
  }
}
