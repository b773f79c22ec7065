package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.SQL;
import static dev.twostep.processor.internal.model.Diagnostic.error;

import dev.twostep.ObjectKind;
import dev.twostep.Release;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.ObjectTimeline.Change;
import dev.twostep.processor.internal.model.ObjectTimeline.Incarnation;
import dev.twostep.processor.internal.model.ObjectTimeline.NameKey;
import dev.twostep.processor.internal.model.ObjectTimeline.Site;
import dev.twostep.processor.internal.model.ObjectTimeline;
import dev.twostep.processor.internal.sql.Effect.Alter;
import dev.twostep.processor.internal.sql.Effect.Create;
import dev.twostep.processor.internal.sql.Effect.Rename;
import dev.twostep.processor.internal.sql.ObjectName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules about object versions, over the {@link ObjectTimeline}: {@code versioned-name} (an
 * object of a versioned kind carries {@code _v<k>}, unless it is a bridge created and dropped in
 * one release), {@code version-sequence} (a new version is 1 + the highest so far) and
 * {@code immutable-version} (a later release never replaces, re-creates, renames or alters a
 * version an earlier release created). Pre-adoption history ({@code checkedFrom}) is replayed but
 * not checked.
 */
final class VersioningRules {
  private VersioningRules() {}

  /** The highest version of an object seen so far, and the release that created it. */
  private record Highest(int version, Release release) {}

  static List<Diagnostic> check(ObjectTimeline timeline, Set<ObjectKind> versioned) {
    List<Diagnostic> out = new ArrayList<>();
    Map<NameKey, Incarnation> firstOfName = new HashMap<>();
    Map<List<Object>, Highest> highest = new HashMap<>();
    for (Change change : timeline.changes()) {
      Site site = change.site();
      boolean checked = !site.legacy();
      Incarnation created = change.created();
      Incarnation target = change.target();
      if (checked && target != null && target.isReleasedVersion(site, versioned)) {
        String action = null;
        if (change.effect() instanceof Create) {
          action = Messages.replaces(target.describe());
        } else if (change.effect() instanceof Rename rename) {
          action = Messages.renames(target.describe(), rename.newName().sql());
        } else if (change.effect() instanceof Alter alter) {
          action = Messages.alters(alter.change().verb(), alter.member(), target.describe());
        }
        if (action != null) {
          out.add(error(Rule.IMMUTABLE_VERSION, site.migration(), SQL, Messages.immutableVersion(site.migration(),
              site.statement(), action, target.created().migration().release(), nextVersion(target, highest))));
        }
      }
      if (created == null) {
        continue;
      }
      NameKey name = created.nameKey();
      Incarnation first = firstOfName.get(name);
      List<Object> object = objectKey(created);
      if (checked && created.kind() != null && versioned.contains(created.kind())) {
        int version = created.name().version();
        if (first != null && first.isReleasedVersion(site, versioned)) {
          out.add(error(Rule.IMMUTABLE_VERSION, site.migration(), SQL, Messages.immutableVersion(site.migration(),
              site.statement(), Messages.recreates(created.describe()), first.created().migration().release(),
              nextVersion(created, highest))));
        } else if (version == 0 && !created.isBridge()) {
          out.add(error(Rule.VERSIONED_NAME, site.migration(), SQL, Messages.versionedName(site.migration(),
              site.statement(), created.describe(), created.kind().sqlName() + "s",
              suggestion(created.name(), highestVersion(highest, object) + 1))));
        } else if (version > 0 && first == null) {
          Highest before = highest.get(object);
          int expected = before == null ? 1 : before.version() + 1;
          if (version != expected) {
            out.add(error(Rule.VERSION_SEQUENCE, site.migration(), SQL, Messages.versionSequence(site.migration(),
                site.statement(), created.describe(), created.name().unversionedName(),
                before == null ? 0 : before.version(), before == null ? null : before.release().text())));
          }
        }
      }
      firstOfName.putIfAbsent(name, created);
      int version = created.name().version();
      Highest before = highest.get(object);
      if (version > 0 && (before == null || version > before.version())) {
        highest.put(object, new Highest(version, site.release()));
      }
    }
    return out;
  }

  /** One object across its versions: namespace, schema, name without version, table. */
  private static List<Object> objectKey(Incarnation inc) {
    NameKey key = inc.nameKey();
    return List.of(key.namespace(), key.schema(), inc.name().unversionedName(), key.table());
  }

  private static int highestVersion(Map<List<Object>, Highest> highest, List<Object> object) {
    Highest h = highest.get(object);
    return h == null ? 0 : h.version();
  }

  /** {@code "shop_fetch_job_v3"}: the name of the next version of {@code inc}'s object. */
  private static String nextVersion(Incarnation inc, Map<List<Object>, Highest> highest) {
    int next = Math.max(highestVersion(highest, objectKey(inc)), inc.name().version()) + 1;
    return suggestion(inc.name(), next);
  }

  private static String suggestion(ObjectName name, int version) {
    return new ObjectName(name.schema(), name.unversionedName() + "_v" + version).sql();
  }
}
