package dev.twostep.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code --name value} options of a benchmark command, with defaults and a check for typos. */
final class Options {
  private final Map<String, String> values = new HashMap<>();

  private Options() {}

  /**
   * Parses {@code args}; every option takes a value ({@code --sizes 100,500} or {@code --sizes=100,500}).
   *
   * @throws IllegalArgumentException on an option not in {@code known} or a missing value
   */
  static Options parse(String[] args, Set<String> known) {
    Options options = new Options();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'; options: " + known);
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      }
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; options: " + known);
      }
      options.values.put(name, value);
    }
    return options;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name).trim()) : fallback;
  }

  List<Integer> integers(String name, String fallback) {
    List<Integer> out = new ArrayList<>();
    for (String part : string(name, fallback).split(",")) {
      if (!part.isBlank()) {
        out.add(Integer.parseInt(part.trim()));
      }
    }
    return out;
  }

  /** {@code 10s}, {@code 500ms}, {@code 2m}, or a number of seconds. */
  Duration duration(String name, String fallback) {
    String text = string(name, fallback).trim();
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    if (text.endsWith("s")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
    }
    if (text.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
  }
}
