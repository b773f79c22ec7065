package dev.twostep.processor.internal.model;

import dev.twostep.ObjectKind;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.processor.internal.sql.Effect;
import dev.twostep.processor.internal.sql.Effect.AddColumn;
import dev.twostep.processor.internal.sql.Effect.AddConstraint;
import dev.twostep.processor.internal.sql.Effect.AddEnumValue;
import dev.twostep.processor.internal.sql.Effect.Alter;
import dev.twostep.processor.internal.sql.Effect.AlterColumn;
import dev.twostep.processor.internal.sql.Effect.Create;
import dev.twostep.processor.internal.sql.Effect.Drop;
import dev.twostep.processor.internal.sql.Effect.DropColumn;
import dev.twostep.processor.internal.sql.Effect.DropConstraint;
import dev.twostep.processor.internal.sql.Effect.Namespace;
import dev.twostep.processor.internal.sql.Effect.ObjectRef;
import dev.twostep.processor.internal.sql.Effect.Rename;
import dev.twostep.processor.internal.sql.Effect.RenameColumn;
import dev.twostep.processor.internal.sql.Effect.RenameConstraint;
import dev.twostep.processor.internal.sql.Effect.RenameEnumValue;
import dev.twostep.processor.internal.sql.Effect.ValidateConstraint;
import dev.twostep.processor.internal.sql.ObjectName;
import dev.twostep.processor.internal.sql.ParsedStatement;
import dev.twostep.processor.internal.sql.SqlScript;
import dev.twostep.processor.internal.sql.TableOperation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The life of every schema object across the ordered catalog: replays the effects of every
 * statement of every SQL migration (in order of application) and records, for each effect, which
 * object it touched and when that object was created. Part of the model: the pipeline builds it
 * once; the versioning, pre-contract and lock rules check it, and the catalog (each migration's
 * statements as parsed here) and the schema constants are generated from it.
 *
 * <p>Objects are identified like PostgreSQL identifies them: by namespace, schema (unqualified
 * meaning {@code public}) and name; routines also by their input argument types, triggers by
 * their table. Java migrations and statements the classifier does not understand are invisible.
 */
public final class ObjectTimeline {

  /**
   * Where something happened: a statement of a migration.
   *
   * @param legacy the release is before {@code checkedFrom}: history from before Twostep
   */
  public record Site(MigrationModel migration, Release release, boolean legacy, ParsedStatement statement) {
    /** True when this happens in a pre-migration of a checked release. */
    public boolean checkedPre() {
      return !legacy && migration.phase() == Phase.PRE;
    }
  }

  /** Identifies one object: two live objects never share a key. */
  record ObjectKey(Namespace namespace, String schema, String name, String signature, String table) {}

  /** Identifies a name regardless of routine signature: what versions are counted on. */
  public record NameKey(Namespace namespace, String schema, String name, String table) {}

  /**
   * One life of an object under one name, from the statement that created it (or renamed it to
   * this name) to the one that dropped it (or renamed it away).
   */
  public static final class Incarnation {
    private final Namespace namespace;
    private final ObjectKind kind;
    private final ObjectName name;
    private final String signature;
    private ObjectName table;
    private final Site created;
    private final Site origin;
    private Site ended;

    Incarnation(Namespace namespace, ObjectKind kind, ObjectName name, String signature, ObjectName table, Site created,
        Site origin) {
      this.namespace = namespace;
      this.kind = kind;
      this.name = name;
      this.signature = signature;
      this.table = table;
      this.created = created;
      this.origin = origin;
    }

    /**
     * The statement that created the object itself, under whatever name: for an object renamed
     * since, where it was created before its renames. {@code null} when Twostep never saw it
     * created (it predates the catalog, or was renamed from an object it never saw).
     */
    public Site origin() {
      return origin;
    }

    /** Its kind; {@code null} only for a type renamed before Twostep saw it created. */
    public ObjectKind kind() {
      return kind;
    }

    public ObjectName name() {
      return name;
    }

    /** For a routine its argument types, else {@code null}. */
    public String signature() {
      return signature;
    }

    /** For a trigger or index the table it is on, else {@code null}. */
    public ObjectName table() {
      return table;
    }

    /** The statement that created it, or renamed it to this name. */
    public Site created() {
      return created;
    }

    /** The statement that dropped it or renamed it away; {@code null} while it exists at the end. */
    public Site ended() {
      return ended;
    }

    /** Created and gone again within one release: a bridge or a temporary helper. */
    public boolean isBridge() {
      return ended != null && ended.release().equals(created.release());
    }

    /** True for an object of a versioned kind created by a checked release before {@code site}'s. */
    public boolean isReleasedVersion(Site site, Set<ObjectKind> versioned) {
      return kind != null && versioned.contains(kind) && !created.legacy()
          && created.release().compareTo(site.release()) < 0;
    }

    /** {@code "function shop_fetch_job_v1(text)"}, {@code "trigger shop_sync on table shop_jobs"}. */
    public String describe() {
      return ObjectTimeline.describe(namespace, kind, name, signature, table);
    }

    ObjectKey key() {
      return new ObjectKey(namespace, schemaOf(namespace, name, table), name.name(),
          namespace == Namespace.ROUTINE ? Objects.requireNonNullElse(signature, "") : "", tableKey(table));
    }

    /** Its name regardless of routine signature: what versions are counted on. */
    public NameKey nameKey() {
      return new NameKey(namespace, schemaOf(namespace, name, table), name.name(), tableKey(table));
    }
  }

  /**
   * What one effect of one statement did.
   *
   * @param target the existing object it touched (replaced, dropped, renamed away, altered, or for
   *     column and constraint effects the table); {@code null} when the object is unknown
   * @param created the object it created, or the name it renamed {@code target} to; else {@code null}
   * @param memberAdded for a column or constraint effect, where that column or constraint was added
   *     by {@code ALTER TABLE ... ADD}, if it was
   */
  public record Change(Site site, Effect effect, Incarnation target, Incarnation created, Site memberAdded) {}

  private final List<Change> changes = new ArrayList<>();
  private final Map<MigrationModel, SqlScript> scripts = new IdentityHashMap<>();
  private final List<Release> releases = new ArrayList<>();
  private final Map<ObjectKey, Incarnation> live = new LinkedHashMap<>();
  private final Map<String, Site> addedColumns = new LinkedHashMap<>();
  private final Map<String, Site> addedConstraints = new LinkedHashMap<>();
  private final Map<TableOperation, Incarnation> operationTables = new IdentityHashMap<>();
  private final Map<TableOperation, ObjectName> operationTableNames = new IdentityHashMap<>();
  private Set<Incarnation> liveAfterNewestPre;

  private ObjectTimeline() {}

  /** Replays every SQL migration of {@code set} with a valid release, in order of application. */
  public static ObjectTimeline of(MigrationSetModel set) {
    ObjectTimeline timeline = new ObjectTimeline();
    timeline.replay(set);
    return timeline;
  }

  /**
   * The constants of the generated {@code <Name>Schema}: for every object of a versioned kind
   * that exists both after pre(N) and after post(N) of the newest release N, the name code of N
   * calls it by. Of several versions of one object the newest wins; names that would clash are
   * told apart by kind, then schema.
   */
  public static List<SchemaConstant> schemaConstants(MigrationSetModel set) {
    return schemaConstants(of(set), set);
  }

  /** {@link #schemaConstants(MigrationSetModel)} over a timeline of {@code set} already replayed. */
  public static List<SchemaConstant> schemaConstants(ObjectTimeline timeline, MigrationSetModel set) {
    return SchemaConstants.of(timeline, set.versioned(), set.name());
  }

  /** Every change in order of application. */
  public List<Change> changes() {
    return Collections.unmodifiableList(changes);
  }

  /** The parsed SQL of {@code migration}, or {@code null} when it has no SQL or an invalid release. */
  public SqlScript script(MigrationModel migration) {
    return scripts.get(migration);
  }

  /** The newest release of the set before {@code release}, or {@code null}. */
  public Release previousRelease(Release release) {
    Release previous = null;
    for (Release r : releases) {
      if (r.compareTo(release) < 0 && (previous == null || r.compareTo(previous) > 0)) {
        previous = r;
      }
    }
    return previous;
  }

  /** Objects alive at the end of pre(N) and still the same objects at the end of post(N), N the newest release. */
  List<Incarnation> callableByNewestRelease() {
    List<Incarnation> out = new ArrayList<>();
    for (Incarnation inc : live.values()) {
      if (liveAfterNewestPre != null && liveAfterNewestPre.contains(inc)) {
        out.add(inc);
      }
    }
    return out;
  }

  private void replay(MigrationSetModel set) {
    Release newest = null;
    for (MigrationModel m : set.migrations()) {
      if (Release.isValid(m.release())) {
        Release r = Release.parse(m.release());
        if (!releases.contains(r)) {
          releases.add(r);
        }
        newest = newest == null || r.compareTo(newest) > 0 ? r : newest;
      }
    }
    for (MigrationModel m : set.migrations()) {
      if (!Release.isValid(m.release())) {
        continue;
      }
      Release release = Release.parse(m.release());
      if (liveAfterNewestPre == null && release.equals(newest) && m.phase() == Phase.POST) {
        liveAfterNewestPre = identitySetOf(live.values());
      }
      if (!m.hasSql()) {
        continue;
      }
      SqlScript script = SqlScript.parse(m.sql());
      scripts.put(m, script);
      boolean legacy = set.isLegacy(m.release());
      for (ParsedStatement statement : script.statements()) {
        Site site = new Site(m, release, legacy, statement);
        for (TableOperation operation : statement.operations()) {
          resolveTable(operation);
        }
        for (Effect effect : statement.effects()) {
          apply(site, effect);
        }
      }
    }
    if (liveAfterNewestPre == null) {
      liveAfterNewestPre = identitySetOf(live.values());
    }
  }

  private static Set<Incarnation> identitySetOf(Iterable<Incarnation> incarnations) {
    Set<Incarnation> set = Collections.newSetFromMap(new IdentityHashMap<>());
    incarnations.forEach(set::add);
    return set;
  }

  private void apply(Site site, Effect effect) {
    if (effect instanceof Create create) {
      ObjectRef ref = create.object();
      ObjectKey key = keyOf(ref);
      Incarnation existing = live.get(key);
      if (existing == null) {
        Incarnation created =
            new Incarnation(ref.namespace(), ref.kind(), ref.name(), ref.signature(), ref.table(), site, site);
        live.put(key, created);
        changes.add(new Change(site, effect, null, created, null));
      } else if (create.orReplace()) {
        changes.add(new Change(site, effect, existing, null, null));
      }
      // else: IF NOT EXISTS on an existing object does nothing (and without it PostgreSQL fails)
    } else if (effect instanceof Drop drop) {
      List<Incarnation> targets = resolve(drop.object());
      if (targets.isEmpty()) {
        changes.add(new Change(site, effect, null, null, null));
      }
      for (Incarnation target : targets) {
        end(target, site);
        changes.add(new Change(site, effect, target, null, null));
      }
    } else if (effect instanceof Rename rename) {
      rename(site, rename);
    } else if (effect instanceof Alter alter) {
      List<Incarnation> targets = resolve(alter.object());
      if (targets.isEmpty()) {
        changes.add(new Change(site, effect, null, null, null));
      }
      for (Incarnation target : targets) {
        changes.add(new Change(site, effect, target, null, null));
      }
    } else {
      applyMemberEffect(site, effect);
    }
  }

  private void rename(Site site, Rename rename) {
    ObjectRef ref = rename.object();
    List<Incarnation> targets = resolve(ref);
    if (targets.isEmpty()) {
      // Renaming something Twostep never saw created: the new name exists from now on.
      Incarnation created =
          new Incarnation(ref.namespace(), ref.kind(), rename.newName(), ref.signature(), ref.table(), site, null);
      live.put(created.key(), created);
      changes.add(new Change(site, rename, null, created, null));
      return;
    }
    for (Incarnation target : targets) {
      live.remove(target.key());
      target.ended = site;
      Incarnation created = new Incarnation(
          target.namespace, target.kind, rename.newName(), target.signature, target.table, site, target.origin);
      live.put(created.key(), created);
      if (target.namespace == Namespace.RELATION && target.kind != ObjectKind.INDEX) {
        moveTableMembers(target.name, rename.newName());
      }
      changes.add(new Change(site, rename, target, created, null));
    }
  }

  /** Triggers, indexes, columns and constraints follow their table to its new name. */
  private void moveTableMembers(ObjectName from, ObjectName to) {
    String fromKey = tableKey(from);
    List<Incarnation> moved = new ArrayList<>();
    live.values().removeIf(inc -> {
      boolean member = fromKey.equals(tableKey(inc.table));
      if (member) {
        moved.add(inc);
      }
      return member;
    });
    for (Incarnation inc : moved) {
      inc.table = to;
      live.put(inc.key(), inc);
    }
    rekey(addedColumns, fromKey, tableKey(to));
    rekey(addedConstraints, fromKey, tableKey(to));
  }

  private static void rekey(Map<String, Site> members, String fromTable, String toTable) {
    Map<String, Site> moved = new LinkedHashMap<>();
    members.entrySet().removeIf(e -> {
      if (e.getKey().startsWith(fromTable + "\u0000")) {
        moved.put(toTable + e.getKey().substring(fromTable.length()), e.getValue());
        return true;
      }
      return false;
    });
    members.putAll(moved);
  }

  private void applyMemberEffect(Site site, Effect effect) {
    if (effect instanceof AddColumn add) {
      addedColumns.put(memberKey(add.table(), add.column()), site);
      changes.add(new Change(site, effect, table(add.table()), null, null));
    } else if (effect instanceof DropColumn drop) {
      Site added = addedColumns.remove(memberKey(drop.table(), drop.column()));
      changes.add(new Change(site, effect, table(drop.table()), null, added));
    } else if (effect instanceof RenameColumn rename) {
      Site added = addedColumns.remove(memberKey(rename.table(), rename.column()));
      if (added != null) {
        addedColumns.put(memberKey(rename.table(), rename.newName()), added);
      }
      changes.add(new Change(site, effect, table(rename.table()), null, added));
    } else if (effect instanceof AlterColumn alter) {
      Site added = addedColumns.get(memberKey(alter.table(), alter.column()));
      changes.add(new Change(site, effect, table(alter.table()), null, added));
    } else if (effect instanceof AddConstraint add) {
      if (add.name() != null) {
        addedConstraints.put(memberKey(add.table(), add.name()), site);
      }
      changes.add(new Change(site, effect, table(add.table()), null, null));
    } else if (effect instanceof DropConstraint drop) {
      Site added = addedConstraints.remove(memberKey(drop.table(), drop.name()));
      changes.add(new Change(site, effect, table(drop.table()), null, added));
    } else if (effect instanceof RenameConstraint rename) {
      Site added = addedConstraints.remove(memberKey(rename.table(), rename.name()));
      if (added != null) {
        addedConstraints.put(memberKey(rename.table(), rename.newName()), added);
      }
      changes.add(new Change(site, effect, table(rename.table()), null, added));
    } else if (effect instanceof ValidateConstraint validate) {
      changes.add(new Change(site, effect, table(validate.table()), null,
          addedConstraints.get(memberKey(validate.table(), validate.name()))));
    } else if (effect instanceof AddEnumValue add) {
      changes.add(new Change(site, effect, type(add.type()), null, null));
    } else if (effect instanceof RenameEnumValue rename) {
      changes.add(new Change(site, effect, type(rename.type()), null, null));
    }
  }

  /**
   * The table (or domain) {@code operation} acts on, as it was just before its statement ran;
   * {@code null} when Twostep never saw it created or the operation names none.
   */
  public Incarnation tableOf(TableOperation operation) {
    return operationTables.get(operation);
  }

  /** The name of the table {@code operation} acts on: its own, or its index's table; {@code null} when unknown. */
  public ObjectName tableNameOf(TableOperation operation) {
    return operationTableNames.get(operation);
  }

  private void resolveTable(TableOperation operation) {
    ObjectName name = operation.table();
    if (name == null && operation.index() != null) {
      Incarnation index = live.get(new ObjectKey(Namespace.RELATION, operation.index().effectiveSchema(),
          operation.index().name(), "", ""));
      name = index == null ? null : index.table();
    }
    if (name == null) {
      return;
    }
    operationTableNames.put(operation, name);
    Incarnation table = operation.kind() == TableOperation.Kind.DOMAIN_CONSTRAINT ? type(name) : table(name);
    if (table != null) {
      operationTables.put(operation, table);
    }
  }

  private Incarnation table(ObjectName name) {
    return live.get(new ObjectKey(Namespace.RELATION, name.effectiveSchema(), name.name(), "", ""));
  }

  private Incarnation type(ObjectName name) {
    return live.get(new ObjectKey(Namespace.TYPE, name.effectiveSchema(), name.name(), "", ""));
  }

  /** The live objects {@code ref} names; a routine without a matching signature falls back to the only one of its name. */
  private List<Incarnation> resolve(ObjectRef ref) {
    if (ref.namespace() != Namespace.ROUTINE) {
      Incarnation found = live.get(keyOf(ref));
      return found == null ? List.of() : List.of(found);
    }
    if (ref.signature() != null) {
      Incarnation exact = live.get(keyOf(ref));
      if (exact != null) {
        return List.of(exact);
      }
    }
    NameKey name = new NameKey(Namespace.ROUTINE, ref.name().effectiveSchema(), ref.name().name(), "");
    List<Incarnation> sameName = new ArrayList<>();
    for (Incarnation inc : live.values()) {
      if (inc.nameKey().equals(name)) {
        sameName.add(inc);
      }
    }
    return ref.signature() == null || sameName.size() == 1 ? sameName : List.of();
  }

  private void end(Incarnation target, Site site) {
    live.remove(target.key());
    target.ended = site;
    // Dropping a table drops its triggers and indexes; dropping a schema (with CASCADE) its objects.
    if (target.namespace == Namespace.RELATION || target.namespace == Namespace.SCHEMA) {
      String tableKey = tableKey(target.name);
      String schema = target.name.name();
      List<Incarnation> dependents = new ArrayList<>();
      for (Incarnation inc : live.values()) {
        boolean onTable = target.namespace == Namespace.RELATION && tableKey.equals(tableKey(inc.table));
        boolean inSchema = target.namespace == Namespace.SCHEMA && inc.namespace != Namespace.SCHEMA
            && inc.namespace != Namespace.EXTENSION && schema.equals(inc.key().schema());
        if (onTable || inSchema) {
          dependents.add(inc);
        }
      }
      for (Incarnation dependent : dependents) {
        live.remove(dependent.key());
        dependent.ended = site;
      }
      if (target.namespace == Namespace.RELATION) {
        addedColumns.keySet().removeIf(k -> k.startsWith(tableKey + "\u0000"));
        addedConstraints.keySet().removeIf(k -> k.startsWith(tableKey + "\u0000"));
      }
    }
  }

  private static ObjectKey keyOf(ObjectRef ref) {
    return new ObjectKey(ref.namespace(), schemaOf(ref.namespace(), ref.name(), ref.table()), ref.name().name(),
        ref.namespace() == Namespace.ROUTINE ? Objects.requireNonNullElse(ref.signature(), "") : "",
        // Only a trigger's name is scoped by its table; an index is named like any relation, and
        // DROP INDEX / ALTER INDEX do not mention the table.
        ref.namespace() == Namespace.TRIGGER ? tableKey(ref.table()) : "");
  }

  /** A trigger has no schema of its own: it lives in its table's. Schemas and extensions are global. */
  private static String schemaOf(Namespace namespace, ObjectName name, ObjectName table) {
    switch (namespace) {
      case TRIGGER:
        return table == null ? "public" : table.effectiveSchema();
      case SCHEMA:
      case EXTENSION:
        return "";
      default:
        return name.effectiveSchema();
    }
  }

  private static String tableKey(ObjectName table) {
    return table == null ? "" : table.effectiveSchema() + "." + table.name();
  }

  private static String memberKey(ObjectName table, String member) {
    return tableKey(table) + "\u0000" + member;
  }

  /** How messages name an object: {@code "function shop_fetch_job_v1(text)"}. */
  static String describe(Namespace namespace, ObjectKind kind, ObjectName name, String signature, ObjectName table) {
    String kindName = kind != null ? kind.sqlName()
        : namespace == Namespace.ROUTINE ? "routine"
        : namespace == Namespace.TYPE ? "type"
        : namespace.name().toLowerCase(java.util.Locale.ROOT);
    String text = kindName + " " + name.sql();
    if (namespace == Namespace.ROUTINE && signature != null) {
      text += signature;
    }
    if (table != null && kind == ObjectKind.TRIGGER) {
      text += " on table " + table.sql();
    }
    return text;
  }

  /** How messages name what {@code ref} refers to. */
  public static String describe(ObjectRef ref) {
    return describe(ref.namespace(), ref.kind(), ref.name(), ref.signature(), ref.table());
  }
}
