package dev.twostep.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's rule table says what {@link Rule} says: same ids, order, severity and summary. */
class RuleTableTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)`( \\(warning\\))? \\| (.*) \\|$");

  @Test
  void readmeRuleTableIsTheRuleEnum() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("\n## Rules\n"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    List<String> rows = new ArrayList<>();
    for (String line : section.lines().toList()) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.add(m.group(1) + (m.group(2) == null ? "" : " (warning)") + " | " + m.group(3));
      }
    }
    List<String> expected = Arrays.stream(Rule.values())
        .map(r -> r.id() + (r.severity() == Rule.Severity.WARNING ? " (warning)" : "") + " | " + r.summary())
        .toList();
    assertThat(rows).containsExactlyElementsOf(expected);
  }

  @Test
  void theLockSafetyRulesAreTheWaivableOnesReadmeNamesAfterTheTable() {
    assertThat(Rule.waivableIds()).containsExactly(
        "step-sequence", "versioned-name", "version-sequence", "immutable-version", "pre-contract",
        "table-rewrite", "blocking-index-build", "validating-constraint", "validate-under-exclusive-lock",
        "set-not-null-scan", "not-null-without-default", "destructive-statement", "session-setting",
        "unbatched-backfill", "exclusive-locks-on-several-tables", "explicit-lock", "non-concurrent-drop");
    assertThat(Arrays.stream(Rule.values()).filter(r -> r.family() == Rule.Family.LOCK_SAFETY)).hasSize(12);
  }
}
