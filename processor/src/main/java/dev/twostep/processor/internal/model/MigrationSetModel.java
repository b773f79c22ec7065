package dev.twostep.processor.internal.model;

import dev.twostep.ObjectKind;
import dev.twostep.Release;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * All migrations of one compilation and the set's configuration.
 *
 * @param name prefix of the generated classes
 * @param packageName where the generated classes go
 * @param setPackage the package carrying {@code @MigrationSet}, or {@code null}
 * @param versioned kinds whose names must carry {@code _v<k>}
 * @param checkedFrom first release checked by the versioning rules, or {@code null} for all
 * @param migrations every migration, sorted by {@link #ORDER}
 */
public record MigrationSetModel(
    String name,
    String packageName,
    String setPackage,
    Set<ObjectKind> versioned,
    String checkedFrom,
    List<MigrationModel> migrations) {

  /**
   * Order of application: release (numerically; invalid releases last), pre before post, step,
   * then class name so the order is total and independent of the input order.
   */
  public static final Comparator<MigrationModel> ORDER =
      Comparator.<MigrationModel, Release>comparing(
              m -> Release.isValid(m.release()) ? Release.parse(m.release()) : null,
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(MigrationModel::phase)
          .thenComparingInt(MigrationModel::step)
          .thenComparing(MigrationModel::className);

  public MigrationSetModel {
    versioned = Set.copyOf(versioned);
    migrations = migrations.stream().sorted(ORDER).toList();
  }

  /** True when {@code release} is earlier than {@link #checkedFrom}: pre-adoption history. */
  public boolean isLegacy(String release) {
    return checkedFrom != null
        && Release.isValid(checkedFrom)
        && Release.isValid(release)
        && Release.parse(release).compareTo(Release.parse(checkedFrom)) < 0;
  }
}
