package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns the errors of one rule on one migration into notes, for the rare case where a rule is
 * deliberately broken (for example a pre-migration that replaces a function body to fix a bug
 * both releases want fixed). The reason is shown by {@code plan} and recorded in the history table.
 *
 * <pre>{@code
 * @Waive(rule = "immutable-version", reason = "bug fix both 1.x and 2.x need, same contract")
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(Waive.List.class)
public @interface Waive {
  /** The rule id without prefix, e.g. {@code "pre-contract"}. */
  String rule();

  /** Why breaking the rule is safe here; must not be blank. */
  String reason();

  /** Container of repeated {@link Waive} annotations. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.TYPE)
  @interface List {
    Waive[] value();
  }
}
