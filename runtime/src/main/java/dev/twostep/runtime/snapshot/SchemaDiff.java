package dev.twostep.runtime.snapshot;

import dev.twostep.runtime.snapshot.SchemaObject.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The difference between an older and a newer {@link SchemaSnapshot}: objects added, removed and
 * changed, each judged for whether it may break code written for the older schema (the question
 * a pre-migration must answer "no" to: code of release N-1 still runs on S_pre(N)).
 *
 * <p>Judged as breaking: anything removed (a table, column, function, view, type, trigger,
 * constraint, a valid index, ...); a column whose type, collation or generation changed, that
 * became NOT NULL or lost its default; a NOT NULL column without default added to an existing
 * table (INSERTs that leave it out fail); a changed definition of a function, procedure, view,
 * trigger, constraint or index (versioned objects are immutable: make a new version); an enum that
 * lost or reordered labels; a changed composite type or domain; row security switched on.
 * Harmless: everything added otherwise (tables, nullable columns or columns with a default,
 * indexes, NOT VALID constraints, new function versions, enum labels...), a constraint validated,
 * an index becoming valid, a changed column default.
 */
public final class SchemaDiff {
  /** How an object differs. */
  public enum Type {
    /** Only in the newer snapshot. */
    ADDED,
    /** Only in the older snapshot. */
    REMOVED,
    /** In both, with different properties. */
    CHANGED;

    /** {@code added}, {@code removed} or {@code changed}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One object that differs.
   *
   * @param type added, removed or changed
   * @param before the object in the older snapshot, {@code null} when added
   * @param after the object in the newer snapshot, {@code null} when removed
   * @param incompatibility why code written for the older schema may break, or {@code null} when
   *     the change is harmless to it
   * @param implied true when the change follows from its table (or type) being added or removed
   *     in the same diff, e.g. the columns of a dropped table
   */
  public record Change(Type type, SchemaObject before, SchemaObject after, String incompatibility, boolean implied) {
    /**
     * Checks that the objects fit the type.
     *
     * @throws IllegalArgumentException when before/after do not match {@code type}
     */
    public Change {
      Objects.requireNonNull(type, "type");
      if ((before == null) != (type == Type.ADDED) || (after == null) != (type == Type.REMOVED)) {
        throw new IllegalArgumentException("before/after do not fit " + type);
      }
    }

    /** The object as it is now, or as it was when removed. */
    public SchemaObject object() {
      return after != null ? after : before;
    }

    /** The object's kind. */
    public Kind kind() {
      return object().kind();
    }

    /** The object's name. */
    public String name() {
      return object().name();
    }

    /** Why code written for the older schema may break, when it may. */
    public Optional<String> breaks() {
      return Optional.ofNullable(incompatibility);
    }

    /** True when code written for the older schema may break. */
    public boolean isBreaking() {
      return incompatibility != null;
    }

    /** The names of the properties that differ; empty unless changed. */
    public Set<String> changedProperties() {
      Set<String> keys = new TreeSet<>();
      if (type == Type.CHANGED) {
        keys.addAll(before.properties().keySet());
        keys.addAll(after.properties().keySet());
        keys.removeIf(k -> Objects.equals(before.property(k), after.property(k)));
      }
      return keys;
    }

    /**
     * {@code removed column public.shop_jobs.state (text)}, or for a change
     * {@code changed column public.shop_jobs.qty: type integer -> bigint}.
     */
    public String describe() {
      if (type != Type.CHANGED) {
        return type.label() + " " + object().describe();
      }
      StringBuilder out = new StringBuilder("changed ").append(kind().label()).append(' ').append(name()).append(": ");
      boolean first = true;
      for (String key : changedProperties()) {
        out.append(first ? "" : "; ").append(propertyChange(key, before.property(key), after.property(key)));
        first = false;
      }
      return out.toString();
    }

    /** {@link #describe()}, followed by why it breaks old code when it does. */
    @Override
    public String toString() {
      return describe() + (incompatibility == null ? "" : " [breaks older code: " + incompatibility + "]");
    }

    private static String propertyChange(String key, String before, String after) {
      String a = before == null ? "(none)" : before;
      String b = after == null ? "(none)" : after;
      if (a.length() <= 80 && b.length() <= 80 && a.indexOf('\n') < 0 && b.indexOf('\n') < 0) {
        return key + " " + a + " -> " + b;
      }
      String[] la = a.split("\n", -1);
      String[] lb = b.split("\n", -1);
      int line = 0;
      while (line < la.length && line < lb.length && la[line].strip().equals(lb[line].strip())) {
        line++;
      }
      String from = line < la.length ? la[line].strip() : "(end)";
      String to = line < lb.length ? lb[line].strip() : "(end)";
      return key + " differs at line " + (line + 1) + ": " + SchemaObject.abbreviate(from, 100) + " -> "
          + SchemaObject.abbreviate(to, 100);
    }
  }

  private final SchemaSnapshot older;
  private final SchemaSnapshot newer;
  private final List<Change> changes;

  SchemaDiff(SchemaSnapshot older, SchemaSnapshot newer) {
    this.older = older;
    this.newer = newer;
    List<SchemaObject[]> pairs = new ArrayList<>();
    for (SchemaObject before : older.objects()) {
      pairs.add(new SchemaObject[] {before, newer.get(before.kind(), before.name())});
    }
    for (SchemaObject after : newer.objects()) {
      if (older.get(after.kind(), after.name()) == null) {
        pairs.add(new SchemaObject[] {null, after});
      }
    }
    List<Change> found = new ArrayList<>();
    for (SchemaObject[] pair : pairs) {
      SchemaObject before = pair[0];
      SchemaObject after = pair[1];
      if (before != null && before.equals(after)) {
        continue;
      }
      Type type = before == null ? Type.ADDED : after == null ? Type.REMOVED : Type.CHANGED;
      boolean implied = type != Type.CHANGED && isImplied(type, (after != null ? after : before).parent());
      found.add(new Change(type, before, after, incompatibility(type, before, after, implied), implied));
    }
    found.sort(Comparator.comparing((Change c) -> c.object(), SchemaSnapshot.order()));
    this.changes = List.copyOf(found);
  }

  private boolean isImplied(Type type, String parent) {
    if (parent == null) {
      return false;
    }
    // the parent is a table (or, for owned sequences, the owning table)
    boolean inOlder = older.get(Kind.TABLE, parent) != null;
    boolean inNewer = newer.get(Kind.TABLE, parent) != null;
    return type == Type.ADDED ? !inOlder && inNewer : inOlder && !inNewer;
  }

  /** The older snapshot. */
  public SchemaSnapshot older() {
    return older;
  }

  /** The newer snapshot. */
  public SchemaSnapshot newer() {
    return newer;
  }

  /** Every object that differs, ordered by kind and name, implied ones included. */
  public List<Change> changes() {
    return changes;
  }

  /** The changes that do not follow from their table being added or removed. */
  public List<Change> mainChanges() {
    return changes.stream().filter(c -> !c.implied()).toList();
  }

  /** The objects added (implied ones included). */
  public List<Change> added() {
    return changes.stream().filter(c -> c.type() == Type.ADDED).toList();
  }

  /** The objects removed (implied ones included). */
  public List<Change> removed() {
    return changes.stream().filter(c -> c.type() == Type.REMOVED).toList();
  }

  /** The objects changed. */
  public List<Change> changed() {
    return changes.stream().filter(c -> c.type() == Type.CHANGED).toList();
  }

  /**
   * The changes that may break code written for the older schema, without those implied by a
   * removed table (the table's removal is listed).
   */
  public List<Change> breakingChanges() {
    return changes.stream().filter(c -> c.isBreaking() && !c.implied()).toList();
  }

  /** True when both snapshots hold the same objects. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * One line per change, children of an added or removed table folded into the table's line:
   * <pre>
   * removed column public.shop_jobs.state (text) [breaks older code: ...]
   * added table public.shop_audit (table) with 3 columns, 1 constraint, 1 index
   * </pre>
   * or {@code no differences}.
   */
  public String describe() {
    if (changes.isEmpty()) {
      return "no differences\n";
    }
    Map<String, Map<Kind, Integer>> children = new LinkedHashMap<>();
    for (Change c : changes) {
      if (c.implied()) {
        children.computeIfAbsent(c.type() + " " + c.object().parent(), k -> new EnumMap<>(Kind.class))
            .merge(c.kind(), 1, Integer::sum);
      }
    }
    StringBuilder out = new StringBuilder();
    for (Change c : changes) {
      if (c.implied()) {
        continue;
      }
      out.append(c.describe());
      Map<Kind, Integer> folded = c.kind() == Kind.TABLE ? children.get(c.type() + " " + c.name()) : null;
      if (folded != null) {
        out.append(" with ");
        boolean first = true;
        for (Map.Entry<Kind, Integer> e : folded.entrySet()) {
          out.append(first ? "" : ", ").append(e.getValue()).append(' ').append(plural(e.getKey(), e.getValue()));
          first = false;
        }
      }
      if (c.isBreaking()) {
        out.append(" [breaks older code: ").append(c.incompatibility()).append(']');
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String plural(Kind kind, int n) {
    String label = kind.label();
    if (n == 1) {
      return label;
    }
    return label.endsWith("x") ? label.substring(0, label.length() - 1) + "ices" : label + "s";
  }

  /** {@link #describe()}. */
  @Override
  public String toString() {
    return describe();
  }

  private String incompatibility(Type type, SchemaObject before, SchemaObject after, boolean implied) {
    switch (type) {
      case REMOVED:
        if (before.kind() == Kind.INDEX && "false".equals(before.property("valid"))) {
          return null; // an INVALID index is never used
        }
        return "code written for the older schema may still use this " + before.kind().label();
      case ADDED:
        if (after.kind() == Kind.COLUMN && !implied && after.is("not null") && after.property("default") == null
            && after.property("identity") == null && after.property("generated") == null) {
          return "NOT NULL without a default on an existing table: INSERTs of older code that leave it out fail";
        }
        return null;
      default:
        return changeIncompatibility(before, after);
    }
  }

  private static boolean differs(SchemaObject before, SchemaObject after, String property) {
    return !Objects.equals(before.property(property), after.property(property));
  }

  private static String changeIncompatibility(SchemaObject before, SchemaObject after) {
    switch (before.kind()) {
      case COLUMN:
        if (differs(before, after, "type")) {
          return "type changed from " + before.property("type") + " to " + after.property("type");
        }
        if (!before.is("not null") && after.is("not null")) {
          return "became NOT NULL: older code may write NULL";
        }
        if (before.property("default") != null && after.property("default") == null && after.property("generated") == null) {
          return "lost its default: older code that leaves it out now writes NULL";
        }
        if (differs(before, after, "generated") || differs(before, after, "identity")) {
          return "its generation (identity or generated expression) changed";
        }
        if (differs(before, after, "collation")) {
          return "collation changed: comparisons and sort order of older code change";
        }
        return null;
      case CONSTRAINT:
      case INDEX:
        if (differs(before, after, "definition") && !"false".equals(before.property("valid"))) {
          return "definition changed";
        }
        return null;
      case FUNCTION:
      case PROCEDURE:
      case AGGREGATE:
      case VIEW:
      case MATERIALIZED_VIEW:
        return "definition changed: older code still uses this version; create a new version (_v<k+1>) instead";
      case TRIGGER:
        return differs(before, after, "definition") ? "definition changed: create a new trigger version instead"
            : "enabled state changed from " + before.property("enabled") + " to " + after.property("enabled");
      case ENUM_TYPE: {
        List<String> was = before.enumValues();
        List<String> now = new ArrayList<>(after.enumValues());
        List<String> missing = new ArrayList<>(was);
        missing.removeAll(now);
        if (!missing.isEmpty()) {
          return "lost " + (missing.size() == 1 ? "value " : "values ") + SchemaObject.Literals.render(missing);
        }
        now.retainAll(was);
        return now.equals(was) ? null : "its values were reordered";
      }
      case COMPOSITE_TYPE:
        return "attributes changed: create a new version of the type instead";
      case DOMAIN:
        if (differs(before, after, "type") || differs(before, after, "constraints")
            || (!before.is("not null") && after.is("not null"))) {
          return "type, NOT NULL or constraints changed";
        }
        return null;
      case RANGE_TYPE:
        return differs(before, after, "type") ? "subtype changed" : null;
      case TABLE:
        if (!before.is("row security") && after.is("row security")) {
          return "row level security was enabled: older code may no longer see or write rows";
        }
        return differs(before, after, "kind") ? "kind changed" : null;
      case EXTENSION:
        return differs(before, after, "schema") ? "moved to another schema" : null;
      default:
        return null;
    }
  }
}
