package dev.twostep.runtime.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes passwords from text meant for people: URLs, messages, logs. */
public final class Redaction {
  /** What a password is replaced with. */
  public static final String MASK = "****";

  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)(password\\s*=\\s*)('[^']*'|\"[^\"]*\"|[^&;\\s]*)");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]+:)([^@/\\s]+)(@)");

  private Redaction() {}

  /**
   * Masks {@code password=...} parameters and {@code user:password@} user info in {@code text}
   * (JDBC URLs, libpq connection strings).
   */
  public static String maskUrl(String text) {
    if (text == null) {
      return null;
    }
    String masked = URL_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    return USER_INFO.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
  }

  /** Masks URL passwords and every occurrence of {@code secret} (when not blank) in {@code text}. */
  public static String mask(String text, String secret) {
    String masked = maskUrl(text);
    if (masked != null && secret != null && !secret.isBlank()) {
      masked = masked.replace(secret, MASK);
    }
    return masked;
  }
}
