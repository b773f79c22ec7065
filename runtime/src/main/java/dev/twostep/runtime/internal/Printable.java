package dev.twostep.runtime.internal;

/**
 * Text from migrations or the history table (descriptions) made safe to print: control
 * characters, among them newlines and the ESC that starts ANSI colour and OSC (terminal title,
 * hyperlink) sequences, are written as escapes, so a description can neither forge output lines
 * nor drive the terminal. The one escaping of the command line's text and its JSON strings.
 */
public final class Printable {
  private Printable() {}

  /** {@code 2026-12-03 15:04:05Z}: a time in messages and tables, in UTC. */
  public static String time(java.time.Instant instant) {
    return Utc.FORMAT.format(instant);
  }

  /** Built on first use: a command that prints no time loads none of {@code java.time.format}. */
  private static final class Utc {
    static final java.time.format.DateTimeFormatter FORMAT = java.time.format.DateTimeFormatter
        .ofPattern("yyyy-MM-dd HH:mm:ss'Z'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
  }

  /**
   * {@code text} with every control character (U+0000-U+001F, U+007F-U+009F) written as
   * {@code \n}, {@code \r}, {@code \t} or {@code \}{@code u00XX}; everything else unchanged.
   */
  public static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isControl(c)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      appendEscape(out, c);
    }
    return out == null ? text : out.toString();
  }

  /** Whether {@code c} is a control character that {@link #escape} rewrites. */
  public static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  }

  /** Appends the escape of the control character {@code c}. */
  public static void appendEscape(StringBuilder out, char c) {
    switch (c) {
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.append(String.format("\\u%04x", (int) c));
    }
  }

  /** Each line of a message escaped on its own: its own line breaks kept, nothing else. */
  public static String escapeLines(String message) {
    String[] lines = message.split("\n", -1);
    StringBuilder out = new StringBuilder(message.length());
    for (int i = 0; i < lines.length; i++) {
      out.append(i == 0 ? "" : "\n").append(escape(lines[i]));
    }
    return out.toString();
  }
}
