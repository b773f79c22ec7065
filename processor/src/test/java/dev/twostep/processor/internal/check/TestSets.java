package dev.twostep.processor.internal.check;

import dev.twostep.ObjectKind;
import dev.twostep.Phase;
import dev.twostep.processor.internal.model.ClassShape;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Migration sets built by hand, without javac. */
final class TestSets {
  private TestSets() {}

  static final Set<ObjectKind> DEFAULT_VERSIONED = EnumSet.of(ObjectKind.FUNCTION, ObjectKind.PROCEDURE,
      ObjectKind.TRIGGER, ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW, ObjectKind.COMPOSITE_TYPE);

  static MigrationModel pre(String release, int step, String sql) {
    return migration(Phase.PRE, release, step, sql);
  }

  static MigrationModel post(String release, int step, String sql) {
    return migration(Phase.POST, release, step, sql);
  }

  /** A Java migration (no SQL). */
  static MigrationModel java(Phase phase, String release, int step) {
    return migration(phase, release, step, "");
  }

  private static MigrationModel migration(Phase phase, String release, int step, String sql) {
    String simpleName = (phase == Phase.PRE ? "Pre" : "Post") + release.replace('.', '_') + "Step" + step;
    return new MigrationModel("com.acme." + simpleName, simpleName, "com.acme", release, phase, step, sql,
        "migration " + step, ClassShape.sqlClass(), List.of(), Set.of());
  }

  static MigrationSetModel set(MigrationModel... migrations) {
    return new MigrationSetModel("Shop", "com.acme", null, DEFAULT_VERSIONED, null, List.of(migrations));
  }

  static MigrationSetModel checkedFrom(String release, MigrationModel... migrations) {
    return new MigrationSetModel("Shop", "com.acme", "com.acme", DEFAULT_VERSIONED, release, List.of(migrations));
  }
}
