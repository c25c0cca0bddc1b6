package dev.millrace.ui;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4) for tests: checks
 * metric and label names, label value escapes, sample values, that {@code # TYPE} comes once and
 * before its samples, and that no series repeats. Samples are keyed {@code
 * name{label="value",...}} with labels sorted by name.
 */
final class PrometheusText {
  private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  final Map<String, Double> samples = new LinkedHashMap<>();
  final Map<String, String> types = new HashMap<>();
  final Map<String, String> help = new HashMap<>();

  static PrometheusText parse(String text) {
    PrometheusText p = new PrometheusText();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("exposition must end with a line feed");
    }
    Set<String> sampled = new HashSet<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + lineNo + ": " + line;
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && parts[1].equals("TYPE")) {
          requireName(parts[2], where);
          if (parts.length != 4 || !TYPES.contains(parts[3])) {
            throw new IllegalArgumentException("bad TYPE, " + where);
          }
          if (p.types.containsKey(parts[2]) || sampled.contains(parts[2])) {
            throw new IllegalArgumentException("TYPE repeated or after samples, " + where);
          }
          p.types.put(parts[2], parts[3]);
        } else if (parts.length >= 3 && parts[1].equals("HELP")) {
          requireName(parts[2], where);
          if (p.help.put(parts[2], parts.length == 4 ? parts[3] : "") != null) {
            throw new IllegalArgumentException("HELP repeated, " + where);
          }
        }
        continue;
      }
      int i = 0;
      while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
        i++;
      }
      String name = line.substring(0, i);
      requireName(name, where);
      TreeMap<String, String> labels = new TreeMap<>();
      if (i < line.length() && line.charAt(i) == '{') {
        i++;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String label = line.substring(i, eq);
          if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("bad label name '" + label + "', " + where);
          }
          if (line.charAt(eq + 1) != '"') {
            throw new IllegalArgumentException("label value must be quoted, " + where);
          }
          StringBuilder v = new StringBuilder();
          int j = eq + 2;
          while (line.charAt(j) != '"') {
            char c = line.charAt(j);
            if (c == '\\') {
              char e = line.charAt(j + 1);
              switch (e) {
                case '\\' -> v.append('\\');
                case '"' -> v.append('"');
                case 'n' -> v.append('\n');
                default -> throw new IllegalArgumentException("bad escape \\" + e + ", " + where);
              }
              j += 2;
            } else {
              v.append(c);
              j++;
            }
          }
          if (labels.put(label, v.toString()) != null) {
            throw new IllegalArgumentException("label repeated, " + where);
          }
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          } else if (line.charAt(i) != '}') {
            throw new IllegalArgumentException("expected ',' or '}', " + where);
          }
        }
        i++;
      }
      if (i >= line.length() || line.charAt(i) != ' ') {
        throw new IllegalArgumentException("expected a space before the value, " + where);
      }
      String[] rest = line.substring(i + 1).split(" ");
      if (rest.length < 1 || rest.length > 2) {
        throw new IllegalArgumentException("expected value [timestamp], " + where);
      }
      double value = switch (rest[0]) {
        case "NaN" -> Double.NaN;
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(rest[0]);
      };
      if (rest.length == 2) {
        Long.parseLong(rest[1]);
      }
      sampled.add(name);
      StringBuilder key = new StringBuilder(name);
      if (!labels.isEmpty()) {
        key.append('{');
        labels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        key.setCharAt(key.length() - 1, '}');
      }
      if (p.samples.put(key.toString(), value) != null) {
        throw new IllegalArgumentException("series repeated, " + where);
      }
    }
    return p;
  }

  private static void requireName(String name, String where) {
    if (!METRIC.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name '" + name + "', " + where);
    }
  }

  double value(String key) {
    Double v = samples.get(key);
    if (v == null) {
      throw new AssertionError("no sample " + key + " in " + samples.keySet());
    }
    return v;
  }
}
