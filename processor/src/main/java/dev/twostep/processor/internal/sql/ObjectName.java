package dev.twostep.processor.internal.sql;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A possibly schema-qualified object name, resolved like PostgreSQL resolves it: unquoted parts
 * folded to lower case, quoted parts kept as written. An unqualified name and one qualified with
 * {@code public} name the same object ({@link #sameObject}).
 *
 * @param schema the schema as written (resolved), or {@code null} when unqualified
 * @param name the object's own name (resolved)
 */
public record ObjectName(String schema, String name) {
  private static final Pattern SIMPLE = Pattern.compile("[a-z_][a-z0-9_$]*");
  private static final Pattern VERSIONED = Pattern.compile("(.+)_[vV]([1-9][0-9]{0,8})");

  public ObjectName {
    Objects.requireNonNull(name, "name");
  }

  /** An unqualified name. */
  public static ObjectName of(String name) {
    return new ObjectName(null, name);
  }

  /** The schema the object lives in, assuming the default search path: {@code public} when unqualified. */
  public String effectiveSchema() {
    return schema == null ? "public" : schema;
  }

  /** True when both name one object: same name, same effective schema. */
  public boolean sameObject(ObjectName other) {
    return name.equals(other.name) && effectiveSchema().equals(other.effectiveSchema());
  }

  /** This name moved to {@code newSchema}, as {@code ALTER ... SET SCHEMA} does. */
  public ObjectName inSchema(String newSchema) {
    return new ObjectName(newSchema, name);
  }

  /** The version {@code k} of a name ending in {@code _v<k>} (k >= 1), else 0. */
  public int version() {
    Matcher m = VERSIONED.matcher(name);
    return m.matches() ? Integer.parseInt(m.group(2)) : 0;
  }

  /** The name without its {@code _v<k>} suffix; the name itself when it has none. */
  public String unversionedName() {
    Matcher m = VERSIONED.matcher(name);
    return m.matches() ? m.group(1) : name;
  }

  /** The name as SQL must write it: quoted where needed, qualified when it was written qualified. */
  public String sql() {
    return schema == null ? quote(name) : quote(schema) + "." + quote(name);
  }

  @Override
  public String toString() {
    return sql();
  }

  /** {@code name} as SQL must write it: as is when it is a plain lower-case name, else quoted. */
  public static String quote(String name) {
    return SIMPLE.matcher(name).matches() ? name : "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
