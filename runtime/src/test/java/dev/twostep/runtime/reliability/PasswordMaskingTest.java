package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.cli.TwostepCommandLine;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Passwords are masked by parsing, not by a pattern that stops at a space or a {@code ;}: a
 * generated set of nasty passwords, given in the URL, by {@code --password} and by
 * {@code TWOSTEP_PASSWORD}, never shows in any part in the output of a failed run with
 * {@code --verbose}.
 */
class PasswordMaskingTest {
  /** Two distinctive halves: a partly masked password leaves one of them readable. */
  private static final String HEAD = "Qv7Rk2";
  private static final String TAIL = "Zm4Tp9";
  private static final List<String> SEPARATORS = List.of(" ", ";", "&", "=", "'", "\"", "ü密", "%20", "+", "\\",
      " password=", "@", "/", ":", "?", "#", "\t", "****", ",", ";password=x ");

  private static List<String> nastyPasswords() {
    List<String> passwords = new ArrayList<>();
    for (String separator : SEPARATORS) {
      passwords.add(HEAD + separator + TAIL);
      passwords.add(separator + HEAD + separator + TAIL + separator);
    }
    return passwords;
  }

  private static void assertMasked(String password, CommandLineRun run) {
    String everything = run.out() + run.err();
    assertThat(run.exitCode()).as(everything).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(everything).as("password [%s]", password).contains("\tat ").doesNotContain(HEAD).doesNotContain(TAIL);
  }

  @Test
  void nastyPasswordsInTheUrlAreMaskedWhole() {
    for (String password : nastyPasswords()) {
      List<String> urls = new ArrayList<>();
      urls.add("jdbc:postgresql://127.0.0.1:1/shop?user=deploy&password="
          + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&connectTimeout=2");
      if (!password.contains("&") && !password.contains("%") && !password.contains("+")) {
        urls.add("jdbc:postgresql://127.0.0.1:1/shop?user=deploy&password=" + password + "&connectTimeout=2");
      }
      for (String url : urls) {
        assertMasked(password, CommandLineRun.run(ReliabilityCatalogs.REJECTED, "status", "--url", url, "--verbose"));
      }
    }
  }

  @Test
  void nastyPasswordsGivenByOptionOrEnvironmentAreMaskedWhole() {
    String url = "jdbc:postgresql://127.0.0.1:1/shop?user=deploy&connectTimeout=2";
    for (String password : nastyPasswords()) {
      assertMasked(password, CommandLineRun.run(ReliabilityCatalogs.REJECTED,
          "status", "--url", url + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8),
          "--password", password, "--verbose"));
      assertMasked(password, CommandLineRun.run(ReliabilityCatalogs.REJECTED, Map.of("TWOSTEP_PASSWORD", password),
          "status", "--url", url, "--verbose"));
    }
  }
}
