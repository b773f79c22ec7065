package dev.twostep;

import java.util.Arrays;

/**
 * A release number: 1 to 4 dot-separated non-negative integers ({@code 2}, {@code 2.1},
 * {@code 2.1.0}, {@code 2.1.0.4}), compared numerically with missing parts read as zero, so
 * {@code 2.1} and {@code 2.1.0} compare equal; or {@link #NEXT}, the release under development,
 * which orders after every numbered release. {@link #equals} follows {@link #compareTo}; the
 * original spelling is kept in {@link #text()}.
 */
public final class Release implements Comparable<Release> {
  /**
   * {@code "next"}: the release under development. Its migrations order after every numbered
   * release and are never in the lock file; shipping release R rewrites {@code "next"} to R in
   * the sources.
   */
  public static final Release NEXT = new Release("next", new int[0]);

  private final String text;
  private final int[] parts;

  private Release(String text, int[] parts) {
    this.text = text;
    this.parts = parts;
  }

  /**
   * Parses a release number.
   *
   * @throws IllegalArgumentException when {@code text} is not 1 to 4 dot-separated integers
   */
  public static Release parse(String text) {
    if (NEXT.text.equals(text)) {
      return NEXT;
    }
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    String[] pieces = text.split("\\.", -1);
    int[] parts = new int[pieces.length];
    for (int i = 0; i < pieces.length; i++) {
      parts[i] = Integer.parseInt(pieces[i]);
    }
    return new Release(text, parts);
  }

  /** True when {@link #parse} would accept {@code text}. */
  public static boolean isValid(String text) {
    return problem(text) == null;
  }

  private static String problem(String text) {
    if (text == null || text.isEmpty()) {
      return "release must not be empty";
    }
    if (NEXT.text.equals(text)) {
      return null;
    }
    String[] pieces = text.split("\\.", -1);
    if (pieces.length > 4) {
      return "release '" + text + "' has " + pieces.length + " parts; at most 4 are allowed";
    }
    for (String piece : pieces) {
      if (piece.isEmpty() || piece.length() > 9 || !piece.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return "release '" + text + "' is not 1 to 4 dot-separated non-negative integers, nor \"next\"";
      }
    }
    return null;
  }

  /** The release as written. */
  public String text() {
    return text;
  }

  /** True for {@link #NEXT}, the release under development. */
  public boolean isNext() {
    return this == NEXT;
  }

  /** The numeric parts as written (not padded); empty for {@link #NEXT}. */
  public int[] parts() {
    return parts.clone();
  }

  @Override
  public int compareTo(Release other) {
    if (isNext() || other.isNext()) {
      return Boolean.compare(isNext(), other.isNext());
    }
    int n = Math.max(parts.length, other.parts.length);
    for (int i = 0; i < n; i++) {
      int a = i < parts.length ? parts[i] : 0;
      int b = i < other.parts.length ? other.parts[i] : 0;
      if (a != b) {
        return Integer.compare(a, b);
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Release && compareTo((Release) o) == 0;
  }

  @Override
  public int hashCode() {
    if (isNext()) {
      return -1;
    }
    int n = parts.length;
    while (n > 1 && parts[n - 1] == 0) {
      n--;
    }
    return Arrays.hashCode(Arrays.copyOf(parts, n));
  }

  @Override
  public String toString() {
    return text;
  }
}
