package dev.twostep.runtime.internal;

import java.util.ArrayList;
import java.util.List;
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
    // text masked before keeps its mask and what follows it: "password=****: refused" stays as it is
    String masked = URL_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK
        + (m.group(2).startsWith(MASK) ? m.group(2).substring(MASK.length()) : "")));
    return USER_INFO.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
  }

  /** The passwords written into {@code url}: {@code password=...} values and {@code user:password@} user info. */
  public static List<String> urlPasswords(String url) {
    List<String> found = new ArrayList<>();
    if (url != null) {
      Matcher m = URL_PASSWORD.matcher(url);
      while (m.find()) {
        String value = m.group(2);
        found.add(value.length() > 1 && (value.startsWith("'") || value.startsWith("\""))
            ? value.substring(1, value.length() - 1) : value);
      }
      Matcher info = USER_INFO.matcher(url);
      while (info.find()) {
        found.add(info.group(2));
      }
    }
    found.removeIf(String::isBlank);
    return found;
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
