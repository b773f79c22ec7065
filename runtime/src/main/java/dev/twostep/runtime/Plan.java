package dev.twostep.runtime;

import dev.twostep.Migration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Twostep#migrate(Target)} would do: the migrations it would apply, in order, or why
 * it would refuse. Computing a plan changes nothing.
 *
 * @param current the schema state now
 * @param target the schema state the target reaches
 * @param migrations the migrations that would run, in order
 * @param refusal why migrate would refuse (checksum drift, a post-migration of an older release
 *     during pre, ...); the empty string when it would run ({@link #refused()} says which)
 */
public record Plan(SchemaState current, SchemaState target, List<Migration> migrations, String refusal) {
  /**
   * Copies the list.
   *
   * @throws NullPointerException when a component is {@code null} (no refusal is {@code ""})
   */
  public Plan {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(target, "target");
    migrations = List.copyOf(migrations);
    Objects.requireNonNull(refusal, "refusal");
  }

  /** A plan that migrate would carry out. */
  public static Plan of(SchemaState current, SchemaState target, List<Migration> migrations) {
    return new Plan(current, target, migrations, "");
  }

  /**
   * A plan that migrate would refuse, for {@code reason}.
   *
   * @throws IllegalArgumentException when {@code reason} is blank
   */
  public static Plan refused(SchemaState current, SchemaState target, List<Migration> migrations, String reason) {
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a refused plan needs a reason");
    }
    return new Plan(current, target, migrations, reason);
  }

  /** True when migrate would refuse; {@link #refusal()} says why. */
  public boolean refused() {
    return !refusal.isEmpty();
  }

  /** True when there is nothing to apply and nothing to refuse. */
  public boolean isEmpty() {
    return migrations.isEmpty() && !refused();
  }
}
