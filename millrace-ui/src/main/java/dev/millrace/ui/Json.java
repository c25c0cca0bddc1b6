package dev.millrace.ui;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Writes JSON from plain values: maps (objects, in their iteration order), collections and arrays
 * of {@code long}/{@code double} (arrays), strings, numbers, booleans and null. Empty optionals
 * and null map values are left out, like Spark's REST API leaves out absent options. Stateless.
 */
final class Json {
  private Json() {}

  /** A new ordered object. */
  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  static String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    write(sb, value, "");
    return sb.toString();
  }

  private static Object unwrap(Object value) {
    if (value instanceof Optional<?> o) {
      return o.orElse(null);
    }
    if (value instanceof OptionalLong o) {
      return o.isPresent() ? o.getAsLong() : null;
    }
    if (value instanceof OptionalDouble o) {
      return o.isPresent() ? o.getAsDouble() : null;
    }
    return value;
  }

  private static void write(StringBuilder sb, Object raw, String indent) {
    Object value = unwrap(raw);
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      string(sb, s);
    } else if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        sb.append("null");
      } else {
        sb.append(d.toString());
      }
    } else if (value instanceof Float f) {
      write(sb, f.doubleValue(), indent);
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Map<?, ?> m) {
      String inner = indent + "  ";
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object v = unwrap(e.getValue());
        if (v == null) {
          continue;
        }
        sb.append(first ? "\n" : ",\n").append(inner);
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(" : ");
        write(sb, v, inner);
      }
      sb.append(first ? "}" : "\n" + indent + "}");
    } else if (value instanceof Collection<?> c) {
      String inner = indent + "  ";
      sb.append('[');
      boolean first = true;
      for (Object v : c) {
        sb.append(first ? " " : ", ");
        first = false;
        write(sb, v, inner);
      }
      sb.append(first ? "]" : " ]");
    } else if (value instanceof long[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(a[i]);
      }
      sb.append(']');
    } else if (value instanceof Object[] a) {
      write(sb, java.util.Arrays.asList(a), indent);
    } else {
      string(sb, value.toString());
    }
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            // also escape HTML-significant characters, so JSON is safe to embed in a page
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
