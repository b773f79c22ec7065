package dev.twostep.runtime.internal;

/** Quoting of SQL identifiers taken from configuration. */
public final class Identifiers {
  private Identifiers() {}

  /** {@code name} as a quoted identifier: {@code "my ""odd"" name"}. */
  public static String quote(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("identifier must not be empty");
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("identifier must not contain NUL");
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
