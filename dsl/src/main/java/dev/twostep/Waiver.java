package dev.twostep;

import java.util.Objects;

/**
 * A rule knowingly waived on a migration with {@link Waive}, as recorded in the catalog.
 *
 * @param rule the rule id, e.g. {@code "pre-contract"}
 * @param reason why it is safe, as written by the developer
 */
public record Waiver(String rule, String reason) {
  /** Checks that both parts are present. */
  public Waiver {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
  }
}
