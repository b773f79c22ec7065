package dev.twostep.runtime.snapshot;

import dev.twostep.runtime.snapshot.SchemaObject.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A normalised, comparable description of a database's schema, read from {@code pg_catalog}:
 * schemas, extensions, tables, columns (type, default, nullability, identity, generation,
 * collation; their order is ignored), constraints (definition and whether validated), indexes
 * (definition and whether valid), functions, procedures and aggregates (by identity arguments,
 * with their definitions), triggers, enum types (labels in order), composite types, domains,
 * range types, views and materialized views (definitions) and sequences. Owners, privileges,
 * OIDs, statistics and data are left out, so two databases built by the same migrations compare
 * equal.
 *
 * <p>Twostep's history table ({@code twostep_history}, in any schema) is left out by default, as
 * are objects that belong to an extension. Snapshots are immutable; {@link #diff} compares two.
 *
 * <pre>{@code
 * SchemaSnapshot before = SchemaSnapshot.read(connection);
 * ... apply a migration ...
 * SchemaDiff diff = before.diff(SchemaSnapshot.read(connection));
 * System.out.println(diff.describe());   // removed column public.shop_jobs.state (text) ...
 * }</pre>
 */
public final class SchemaSnapshot {
  private static final Comparator<SchemaObject> ORDER =
      Comparator.comparing(SchemaObject::kind).thenComparing(SchemaObject::name);

  private final Map<Key, SchemaObject> objects;

  private record Key(Kind kind, String name) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int c = kind.compareTo(other.kind);
      return c != 0 ? c : name.compareTo(other.name);
    }
  }

  private SchemaSnapshot(Collection<SchemaObject> objects) {
    TreeMap<Key, SchemaObject> map = new TreeMap<>();
    for (SchemaObject object : objects) {
      SchemaObject previous = map.put(new Key(object.kind(), object.name()), object);
      if (previous != null && !previous.equals(object)) {
        throw new IllegalArgumentException("two different objects named " + object.kind().label() + " " + object.name());
      }
    }
    this.objects = java.util.Collections.unmodifiableMap(map);
  }

  /**
   * A snapshot of exactly {@code objects}, for building expectations in tests.
   *
   * @throws IllegalArgumentException when two different objects share kind and name
   */
  public static SchemaSnapshot of(Collection<SchemaObject> objects) {
    return new SchemaSnapshot(objects);
  }

  /**
   * Reads every schema of the connection's database that is neither a system schema nor an
   * extension's, without Twostep's history table.
   *
   * @throws SQLException when the catalog cannot be read
   */
  public static SchemaSnapshot read(Connection connection) throws SQLException {
    return reader().read(connection);
  }

  /**
   * Reads the schemas named {@code schemas} (those that exist), without Twostep's history table.
   *
   * @throws SQLException when the catalog cannot be read
   */
  public static SchemaSnapshot read(Connection connection, Collection<String> schemas) throws SQLException {
    return reader().schemas(schemas).read(connection);
  }

  /** A {@link Reader} to choose schemas and tables to leave out. */
  public static Reader reader() {
    return new Reader();
  }

  /**
   * Reads snapshots with options: which schemas, which tables to leave out. Not thread-safe;
   * {@link #read} may be called any number of times.
   */
  public static final class Reader {
    private final Set<String> schemas = new LinkedHashSet<>();
    private final Set<String> ignoredTables = new LinkedHashSet<>(Set.of("twostep_history"));

    private Reader() {}

    /** Reads only these schemas; without a call, every non-system schema. */
    public Reader schemas(Collection<String> schemas) {
      for (String schema : schemas) {
        this.schemas.add(Objects.requireNonNull(schema, "schema"));
      }
      return this;
    }

    /** Reads only these schemas; without a call, every non-system schema. */
    public Reader schemas(String... schemas) {
      return schemas(List.of(schemas));
    }

    /**
     * Leaves out table {@code table} (as {@code schema.table}, or a bare name for that table in
     * any schema) with its columns, constraints, indexes, triggers and owned sequences.
     * {@code twostep_history} is left out unless {@link #includeHistoryTable()} is called.
     */
    public Reader ignoreTable(String table) {
      ignoredTables.add(Objects.requireNonNull(table, "table"));
      return this;
    }

    /** Keeps the table {@code twostep_history} in the snapshot. */
    public Reader includeHistoryTable() {
      ignoredTables.remove("twostep_history");
      return this;
    }

    /**
     * Reads the snapshot on {@code connection} with a handful of catalog queries. Runs in the
     * connection's current transaction, if any, and changes nothing.
     *
     * @throws SQLException when the catalog cannot be read
     */
    public SchemaSnapshot read(Connection connection) throws SQLException {
      List<SchemaObject> kept = new ArrayList<>();
      for (SchemaObject object : CatalogReader.read(connection, schemas)) {
        boolean ignored = object.kind() == Kind.TABLE ? isIgnored(object.name()) : object.parent() != null && isIgnored(object.parent());
        if (!ignored) {
          kept.add(object);
        }
      }
      return new SchemaSnapshot(kept);
    }

    private boolean isIgnored(String qualified) {
      if (ignoredTables.contains(qualified)) {
        return true;
      }
      int dot = qualified.indexOf('.');
      return dot >= 0 && ignoredTables.contains(qualified.substring(dot + 1));
    }
  }

  /** Every object, ordered by kind and then name. */
  public List<SchemaObject> objects() {
    return List.copyOf(objects.values());
  }

  /** The objects of {@code kind}, ordered by name. */
  public List<SchemaObject> objects(Kind kind) {
    return objects.values().stream().filter(o -> o.kind() == kind).toList();
  }

  /** The object of {@code kind} named {@code name} (see {@link SchemaObject#name()}), if present. */
  public Optional<SchemaObject> find(Kind kind, String name) {
    return Optional.ofNullable(objects.get(new Key(kind, name)));
  }

  /** True when the snapshot has an object of {@code kind} named {@code name}. */
  public boolean contains(Kind kind, String name) {
    return objects.containsKey(new Key(kind, name));
  }

  /** How many objects the snapshot holds. */
  public int size() {
    return objects.size();
  }

  /**
   * What changed from this snapshot to {@code newer}: objects added, removed and changed, with
   * which changes may break code written for this (older) schema.
   */
  public SchemaDiff diff(SchemaSnapshot newer) {
    return new SchemaDiff(this, Objects.requireNonNull(newer, "newer"));
  }

  /** One line per object, as {@link SchemaObject#describe()}, ordered by kind and name. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    for (SchemaObject object : objects.values()) {
      out.append(object.describe()).append('\n');
    }
    return out.toString();
  }

  SchemaObject get(Kind kind, String name) {
    return objects.get(new Key(kind, name));
  }

  static Comparator<SchemaObject> order() {
    return ORDER;
  }

  /** Equal when both hold the same objects with the same properties. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaSnapshot && objects.equals(((SchemaSnapshot) o).objects);
  }

  @Override
  public int hashCode() {
    return objects.hashCode();
  }

  /** {@code SchemaSnapshot[12 objects]}; {@link #describe()} lists them. */
  @Override
  public String toString() {
    return "SchemaSnapshot[" + objects.size() + " objects]";
  }
}
