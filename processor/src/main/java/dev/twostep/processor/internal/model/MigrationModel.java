package dev.twostep.processor.internal.model;

import dev.twostep.Rule;
import dev.twostep.Phase;
import dev.twostep.Waiver;
import java.util.List;
import java.util.Set;

/**
 * One annotated migration class as read from the sources, in plain values: no
 * {@code javax.lang.model} types, so checks and code generation are testable without javac.
 *
 * @param className fully qualified (binary-style with dots) name, the key back to the element
 * @param simpleName the class's simple name
 * @param packageName the class's package
 * @param release the {@code release} attribute as written
 * @param phase pre or post
 * @param step the {@code step} attribute
 * @param sql the {@code sql} attribute as written (may be blank)
 * @param description the description: the attribute, or derived from the simple name
 * @param shape what the class is, for the migration-body rule
 * @param waivers the {@code @Waive} annotations, in source order
 * @param suppressed the {@code @SuppressWarnings} values on the class
 * @param expandedFrom for a migration the processor expanded from an operation ({@code @RenameColumn},
 *     ...) on the class, that operation; else {@code null}
 * @param javaSource for a Java migration, its class's code in {@link JavaSourceText#normalise normal
 *     form} (what its checksum covers); empty when the compiler offers no source trees
 */
public record MigrationModel(
    String className,
    String simpleName,
    String packageName,
    String release,
    Phase phase,
    int step,
    String sql,
    String description,
    ClassShape shape,
    List<Waiver> waivers,
    Set<String> suppressed,
    Operation expandedFrom,
    String javaSource) {

  public MigrationModel {
    waivers = List.copyOf(waivers);
    suppressed = Set.copyOf(suppressed);
    javaSource = javaSource == null ? "" : javaSource;
  }

  /** A migration without known Java source. */
  public MigrationModel(String className, String simpleName, String packageName, String release, Phase phase,
      int step, String sql, String description, ClassShape shape, List<Waiver> waivers, Set<String> suppressed,
      Operation expandedFrom) {
    this(className, simpleName, packageName, release, phase, step, sql, description, shape, waivers, suppressed,
        expandedFrom, "");
  }

  /** A migration written by hand. */
  public MigrationModel(String className, String simpleName, String packageName, String release, Phase phase,
      int step, String sql, String description, ClassShape shape, List<Waiver> waivers, Set<String> suppressed) {
    this(className, simpleName, packageName, release, phase, step, sql, description, shape, waivers, suppressed, null, "");
  }

  /**
   * True for the pre-migration of an operation that copies rows: a Java migration (run by
   * {@code dev.twostep.ExpandBackfill}) whose SQL is its set-up and, last, one batch statement.
   */
  public boolean runsBackfill() {
    return expandedFrom != null && phase == Phase.PRE && expandedFrom.backfills();
  }

  /** True when {@code sql} holds more than white space. */
  public boolean hasSql() {
    return !sql.isBlank();
  }

  /** {@code "pre-migration 2.0.0 step 1"}: how messages name the migration. */
  public String label() {
    return phase.label() + "-migration " + release + " step " + step;
  }

  /** True when {@code @SuppressWarnings("twostep:<rule>")} is on the class. */
  public boolean suppresses(Rule rule) {
    return suppressed.contains("twostep:" + rule.id()) || suppressed.contains("twostep");
  }

  /** The waiver of {@code rule}, or {@code null}. */
  public Waiver waiverOf(Rule rule) {
    for (Waiver waiver : waivers) {
      if (waiver.rule().equals(rule.id())) {
        return waiver;
      }
    }
    return null;
  }
}
