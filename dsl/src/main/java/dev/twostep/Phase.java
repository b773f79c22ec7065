package dev.twostep;

import java.util.Locale;

/** The two steps of a release: {@code pre} runs before the new code is deployed, {@code post} after. */
public enum Phase {
  /** Expand: runs while the previous release's code still serves. */
  PRE,
  /** Contract: runs once only the new release's code is left. */
  POST;

  /** {@code "pre"} or {@code "post"}, as stored in the history table and shown to people. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code "pre"} or {@code "post"} (any case).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Phase parse(String label) {
    switch (label.toLowerCase(Locale.ROOT)) {
      case "pre":
        return PRE;
      case "post":
        return POST;
      default:
        throw new IllegalArgumentException("phase must be 'pre' or 'post', not '" + label + "'");
    }
  }
}
