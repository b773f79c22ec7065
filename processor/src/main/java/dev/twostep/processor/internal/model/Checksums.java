package dev.twostep.processor.internal.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum of a migration, computed at compile time and compared at run time and against the
 * lock file: lower-case hex SHA-256 of the SQL with line endings normalised to {@code \n} (so a
 * checkout with Windows line endings does not look like an edit); for a Java migration, of
 * {@code "java:"} and its class's code in {@link JavaSourceText normal form} (comments and layout do
 * not count, every token does), or of {@code "java:" + class} when the compiler offered no source.
 * The migration annotations on the class are not part of it: a release renamed from {@code next}
 * keeps its checksum.
 */
public final class Checksums {
  private Checksums() {}

  /** The checksum of {@code m}. */
  public static String of(MigrationModel m) {
    if (m.hasSql()) {
      return sha256(m.sql().replace("\r\n", "\n").replace('\r', '\n'));
    }
    return sha256("java:" + (m.javaSource().isEmpty() ? m.className() : m.javaSource()));
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
