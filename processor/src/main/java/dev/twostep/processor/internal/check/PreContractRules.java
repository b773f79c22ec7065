package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.SQL;
import static dev.twostep.processor.internal.model.Diagnostic.error;

import dev.twostep.ObjectKind;
import dev.twostep.Release;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.ObjectTimeline.Change;
import dev.twostep.processor.internal.model.ObjectTimeline.Incarnation;
import dev.twostep.processor.internal.model.ObjectTimeline.Site;
import dev.twostep.processor.internal.model.ObjectTimeline;
import dev.twostep.processor.internal.sql.Effect.AddColumn;
import dev.twostep.processor.internal.sql.Effect.Alter;
import dev.twostep.processor.internal.sql.Effect.AlterColumn;
import dev.twostep.processor.internal.sql.Effect.ColumnChange;
import dev.twostep.processor.internal.sql.Effect.Create;
import dev.twostep.processor.internal.sql.Effect.Drop;
import dev.twostep.processor.internal.sql.Effect.DropColumn;
import dev.twostep.processor.internal.sql.Effect.DropConstraint;
import dev.twostep.processor.internal.sql.Effect.Rename;
import dev.twostep.processor.internal.sql.Effect.RenameColumn;
import dev.twostep.processor.internal.sql.Effect.RenameConstraint;
import dev.twostep.processor.internal.sql.Effect.RenameEnumValue;
import dev.twostep.processor.internal.sql.Effect;
import dev.twostep.processor.internal.sql.ObjectName;
import dev.twostep.processor.internal.sql.ParsedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code pre-contract}: a pre-migration of release N runs while code of N-1 still serves, so it may
 * only expand. It must not drop, rename or replace anything that existed before N, drop or rename
 * a column, change a column's type, set NOT NULL, drop a default, drop or rename a constraint,
 * rename an enum value, or add a NOT NULL column without a default. What the same release's
 * pre-migrations created earlier is free to change. Replacing a released version of a versioned
 * object is reported once, as {@code immutable-version}; renaming one in pre is both.
 */
final class PreContractRules {
  private PreContractRules() {}

  static List<Diagnostic> check(ObjectTimeline timeline, Set<ObjectKind> versioned) {
    List<Diagnostic> out = new ArrayList<>();
    for (Change change : timeline.changes()) {
      Site site = change.site();
      if (!site.checkedPre()) {
        continue;
      }
      String message = message(change, timeline, versioned);
      if (message != null) {
        out.add(error(Rule.PRE_CONTRACT, site.migration(), SQL, message));
      }
    }
    return out;
  }

  private static String message(Change change, ObjectTimeline timeline, Set<ObjectKind> versioned) {
    Site site = change.site();
    MigrationModel m = site.migration();
    ParsedStatement s = site.statement();
    Release previous = timeline.previousRelease(site.release());
    String before = previous == null ? null : previous.text();
    Effect effect = change.effect();
    Incarnation target = change.target();
    if (effect instanceof Create) {
      if (target == null || createdInThisRelease(target, site) || target.isReleasedVersion(site, versioned)) {
        return null;
      }
      return Messages.preReplace(m, s, target.describe(), origin(target, site), before, newName(target));
    }
    if (effect instanceof Drop drop) {
      if (target == null) {
        // Without IF EXISTS the object must exist, so it predates this release.
        return drop.ifExists() ? null
            : Messages.preDrop(m, s, ObjectTimeline.describe(drop.object()), Messages.origin(null, m.release()), before);
      }
      return createdInThisRelease(target, site) ? null
          : Messages.preDrop(m, s, target.describe(), origin(target, site), before);
    }
    if (effect instanceof Rename rename) {
      if (target == null) {
        return rename.ifExists() ? null
            : Messages.preRename(m, s, ObjectTimeline.describe(rename.object()), rename.newName().sql(),
                Messages.origin(null, m.release()), before);
      }
      // A released version renamed is also immutable-version's; but in pre it breaks the previous
      // release's code as any rename does, so both rules say so.
      if (createdInThisRelease(target, site)) {
        return null;
      }
      return Messages.preRename(m, s, target.describe(), rename.newName().sql(), origin(target, site), before);
    }
    if (effect instanceof Alter alter) {
      if (target == null || !alter.change().breaksExistingCode() || createdInThisRelease(target, site)
          || target.isReleasedVersion(site, versioned)) {
        return null;
      }
      return Messages.preAlter(m, s, Messages.alters(alter.change().verb(), alter.member(), target.describe()),
          origin(target, site), before);
    }
    if (effect instanceof RenameEnumValue rename) {
      return target != null && createdInThisRelease(target, site) ? null
          : Messages.preRenameEnumValue(m, s, rename.value(), rename.type().sql(), rename.newValue(), before);
    }
    boolean newTable = target != null && createdInThisRelease(target, site);
    boolean newMember = change.memberAdded() != null && change.memberAdded().release().equals(site.release());
    if (newTable) {
      return null;
    }
    if (newMember && !(effect instanceof AlterColumn alter
        && (alter.change() == ColumnChange.SET_NOT_NULL || alter.change() == ColumnChange.DROP_DEFAULT))) {
      // A column or constraint this release added is its own to rename, retype or drop; but NOT
      // NULL without a default on a column of an older table breaks the older code's INSERTs
      // just as if the column had been added that way.
      return null;
    }
    if (effect instanceof AddColumn add) {
      return add.notNull() && !add.hasDefault()
          ? Messages.preNotNullColumn(m, s, quote(add.column()), add.table().sql(), before) : null;
    }
    if (effect instanceof DropColumn drop) {
      return Messages.preDropColumn(m, s, quote(drop.column()), drop.table().sql(), before);
    }
    if (effect instanceof RenameColumn rename) {
      return Messages.preRenameColumn(m, s, quote(rename.column()), rename.table().sql(), quote(rename.newName()), before);
    }
    if (effect instanceof AlterColumn alter) {
      if (alter.change() == ColumnChange.TYPE) {
        return Messages.preColumnType(m, s, quote(alter.column()), alter.table().sql(), before);
      }
      if (alter.change() == ColumnChange.SET_NOT_NULL) {
        return Messages.preSetNotNull(m, s, quote(alter.column()), alter.table().sql(), before);
      }
      if (alter.change() == ColumnChange.DROP_DEFAULT) {
        return Messages.preDropDefault(m, s, quote(alter.column()), alter.table().sql(), before);
      }
      return null;
    }
    if (effect instanceof DropConstraint drop) {
      return Messages.preDropConstraint(m, s, quote(drop.name()), drop.table().sql(), before);
    }
    if (effect instanceof RenameConstraint rename) {
      return Messages.preRenameConstraint(m, s, quote(rename.name()), rename.table().sql(), quote(rename.newName()), before);
    }
    return null;
  }

  /** Created (or renamed to its name) by this release: in a pre-migration, only by an earlier pre step. */
  private static boolean createdInThisRelease(Incarnation inc, Site site) {
    return inc.created().release().equals(site.release());
  }

  private static String origin(Incarnation inc, Site site) {
    return Messages.origin(inc.created().migration().release(), site.migration().release());
  }

  /** What to create instead of replacing {@code inc}: its next version, or a new name. */
  private static String newName(Incarnation inc) {
    ObjectName name = inc.name();
    String next = new ObjectName(name.schema(), name.unversionedName() + "_v" + (name.version() + 1)).sql();
    return "a new version, " + next + ",";
  }

  private static String quote(String name) {
    return ObjectName.quote(name);
  }
}
