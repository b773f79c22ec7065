package dev.twostep.runtime;

import dev.twostep.Migration;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Twostep#migrate(Target)} would do: the migrations it would apply, in order, or why
 * it would refuse. Computing a plan changes nothing.
 *
 * @param current the schema state now
 * @param target the schema state the target reaches
 * @param migrations the migrations that would run, in order
 * @param refusal why migrate would refuse (checksum drift, a post-migration of an older release
 *     during pre, ...), empty when it would run
 */
public record Plan(SchemaState current, SchemaState target, List<Migration> migrations, Optional<String> refusal) {
  /** Copies the list. */
  public Plan {
    migrations = List.copyOf(migrations);
  }

  /** True when there is nothing to apply and nothing to refuse. */
  public boolean isEmpty() {
    return migrations.isEmpty() && refusal.isEmpty();
  }
}
