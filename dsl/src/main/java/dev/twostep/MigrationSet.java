package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures the migration set of a compilation, on a {@code package-info.java}. Optional: without
 * it the generated classes are named {@code Twostep...} and go into the longest common package of
 * the migrations. The generated classes go into the package that carries this annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PACKAGE)
public @interface MigrationSet {
  /** The prefix of the generated classes: {@code name() + "Migrations"}, {@code name() + "Schema"}. */
  String name() default "Twostep";

  /** The object kinds whose names must carry a {@code _v<k>} version suffix. */
  ObjectKind[] versioned() default {
    ObjectKind.FUNCTION,
    ObjectKind.PROCEDURE,
    ObjectKind.TRIGGER,
    ObjectKind.VIEW,
    ObjectKind.MATERIALIZED_VIEW,
    ObjectKind.COMPOSITE_TYPE
  };

  /**
   * The first release the rules are checked for; blank checks all. Migrations of earlier releases
   * are the project's history from before it adopted Twostep: they are applied in order but are
   * exempt from the versioning and pre-contract rules, and what they created counts as unversioned
   * legacy.
   */
  String checkedFrom() default "";
}
