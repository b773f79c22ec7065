package dev.twostep.runtime.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

  /**
   * The passwords written into {@code url}: {@code password=...} query parameters read as the
   * driver reads them (up to the next {@code &}, URL-decoded; the raw text too), libpq-style
   * {@code password=...} values and {@code user:password@} user info.
   */
  public static List<String> urlPasswords(String url) {
    List<String> found = new ArrayList<>();
    if (url != null) {
      int query = url.indexOf('?');
      if (query >= 0) {
        for (String pair : url.substring(query + 1).split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("password")) {
            String raw = pair.substring(eq + 1);
            found.add(raw);
            try {
              found.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
              // the driver rejects it too; the raw text is masked
            }
          }
        }
      }
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
    return mask(text, secret == null ? List.of() : List.of(secret));
  }

  /**
   * Masks every occurrence of each of {@code secrets} (as written and URL-encoded), then URL
   * passwords. Known secrets go first, longest first: a pattern that stops at a space or a
   * {@code ;} would otherwise mask only the start of a password and leave the rest readable.
   */
  public static String mask(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    List<String> forms = new ArrayList<>();
    for (String secret : secrets) {
      if (secret != null && !secret.isBlank()) {
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    forms.sort(Comparator.comparingInt(String::length).reversed());
    String masked = text;
    for (String form : forms) {
      masked = masked.replace(form, MASK);
    }
    return maskUrl(masked);
  }
}
