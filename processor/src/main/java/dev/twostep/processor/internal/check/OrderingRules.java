package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.CLASS;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.RELEASE;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.SQL;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.STEP;
import static dev.twostep.processor.internal.model.Diagnostic.error;

import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.processor.internal.model.ClassShape;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules about where a migration sits and what it is: {@code release-format},
 * {@code release-spelling}, {@code duplicate-step}, {@code step-sequence} and
 * {@code migration-body}. Every problem is collected; a conflict is reported on every participant.
 */
public final class OrderingRules {
  private OrderingRules() {}

  /** All ordering and body problems of {@code set}. */
  public static List<Diagnostic> check(MigrationSetModel set) {
    List<Diagnostic> out = new ArrayList<>();
    List<MigrationModel> valid = new ArrayList<>();
    for (MigrationModel m : set.migrations()) {
      checkBody(m, set.packageName(), out);
      if (Release.isValid(m.release())) {
        valid.add(m);
      } else {
        out.add(error(Rule.RELEASE_FORMAT, m, RELEASE, Messages.releaseFormat(m)));
      }
    }
    checkSpelling(valid, out);
    checkSteps(valid, out);
    return out;
  }

  private static void checkSpelling(List<MigrationModel> migrations, List<Diagnostic> out) {
    Map<Release, TreeSet<String>> spellings = new TreeMap<>();
    for (MigrationModel m : migrations) {
      spellings.computeIfAbsent(Release.parse(m.release()), r -> new TreeSet<>()).add(m.release());
    }
    for (MigrationModel m : migrations) {
      TreeSet<String> ways = spellings.get(Release.parse(m.release()));
      if (ways.size() > 1) {
        out.add(error(Rule.RELEASE_SPELLING, m, RELEASE, Messages.releaseSpelling(m, List.copyOf(ways))));
      }
    }
  }

  private static void checkSteps(List<MigrationModel> migrations, List<Diagnostic> out) {
    // (release, phase) -> step -> migrations with that step
    Map<GroupKey, TreeMap<Integer, List<MigrationModel>>> groups = new LinkedHashMap<>();
    for (MigrationModel m : migrations) {
      GroupKey key = new GroupKey(Release.parse(m.release()), m.phase());
      groups.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(m.step(), s -> new ArrayList<>()).add(m);
    }
    for (TreeMap<Integer, List<MigrationModel>> steps : groups.values()) {
      int freeStep = Math.max(1, steps.lastKey() + 1);
      int expected = 1;
      for (Map.Entry<Integer, List<MigrationModel>> entry : steps.entrySet()) {
        List<MigrationModel> same = entry.getValue();
        if (same.size() > 1) {
          for (MigrationModel m : same) {
            List<MigrationModel> others = new ArrayList<>(same);
            others.remove(m);
            out.add(error(Rule.DUPLICATE_STEP, m, STEP, Messages.duplicateStep(m, others, freeStep)));
          }
        }
        int step = entry.getKey();
        for (MigrationModel m : same) {
          if (step < 1) {
            out.add(error(Rule.STEP_SEQUENCE, m, STEP, Messages.stepNotPositive(m)));
          } else if (step != expected) {
            out.add(error(Rule.STEP_SEQUENCE, m, STEP, Messages.stepGap(m, expected)));
          }
        }
        if (step >= 1) {
          expected++;
        }
      }
    }
  }

  /** {@code 2.1.0} and {@code 2.1} group together ({@link Release#equals}); spelling is its own rule. */
  private record GroupKey(Release release, Phase phase) {}

  private static void checkBody(MigrationModel m, String generatedPackage, List<Diagnostic> out) {
    if (m.expandedFrom() != null) {
      return; // the processor wrote its body; the annotated class is only its name
    }
    ClassShape shape = m.shape();
    if (shape.bothPhases() && m.phase() == Phase.PRE) {
      out.add(error(Rule.MIGRATION_BODY, m, CLASS, Messages.bodyBothPhases(m)));
    }
    if (shape.kind() != ClassShape.TypeKind.CLASS) {
      out.add(error(Rule.MIGRATION_BODY, m, CLASS,
          Messages.bodyNotAClass(m, shape.kind().name().toLowerCase(java.util.Locale.ROOT))));
      return;
    }
    if (m.hasSql() && shape.javaMigration()) {
      out.add(error(Rule.MIGRATION_BODY, m, SQL, Messages.bodyBoth(m)));
      return;
    }
    if (!m.hasSql() && !shape.javaMigration()) {
      out.add(error(Rule.MIGRATION_BODY, m, CLASS, Messages.bodyNeither(m)));
      return;
    }
    if (m.hasSql()) {
      if (shape.nonTransactional()) {
        out.add(error(Rule.MIGRATION_BODY, m, CLASS, Messages.bodyNonTransactionalSql(m)));
      }
      return;
    }
    if (shape.abstractClass()) {
      out.add(error(Rule.MIGRATION_BODY, m, CLASS, Messages.bodyAbstract(m)));
    } else if (shape.innerClass()) {
      out.add(error(Rule.MIGRATION_BODY, m, CLASS, Messages.bodyInner(m)));
    } else if (shape.noArgConstructor() == null) {
      out.add(error(Rule.MIGRATION_BODY, m, CLASS, Messages.bodyNoConstructor(m)));
    } else {
      boolean samePackage = m.packageName().equals(generatedPackage);
      if (shape.access() == ClassShape.Access.PRIVATE
          || (!samePackage && !shape.access().visibleOutsidePackage())) {
        out.add(error(Rule.MIGRATION_BODY, m, CLASS, Messages.bodyNotAccessible(m, "class", generatedPackage)));
      } else if (shape.noArgConstructor() == ClassShape.Access.PRIVATE
          || (!samePackage && !shape.noArgConstructor().visibleOutsidePackage())) {
        out.add(error(Rule.MIGRATION_BODY, m, CLASS,
            Messages.bodyNotAccessible(m, "no-argument constructor", generatedPackage)));
      }
    }
  }
}
