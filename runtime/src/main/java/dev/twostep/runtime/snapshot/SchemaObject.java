package dev.twostep.runtime.snapshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One object of a {@link SchemaSnapshot}: a table, a column, a function... with the properties
 * that describe it, read from {@code pg_catalog} and normalised so that two databases with the
 * same schema give equal objects (no OIDs, no column numbers, no owners, no data).
 *
 * @param kind what kind of object it is
 * @param name its name as people write it: {@code public.shop_jobs} for a table,
 *     {@code public.shop_jobs.state} for a column, constraint or trigger,
 *     {@code public.shop_fetch_job_v1(text)} for a function (with its identity arguments)
 * @param parent the table (or type) it belongs to, as {@code schema.name}, or {@code null} for
 *     objects that stand on their own
 * @param properties what describes it (sorted, unmodifiable), by property name (e.g. {@code type}, {@code not null},
 *     {@code definition}); absent properties are left out rather than mapped to {@code null}
 */
public record SchemaObject(Kind kind, String name, String parent, Map<String, String> properties) {

  /** Kinds of objects, in the order a snapshot lists them. */
  public enum Kind {
    /** A schema (namespace). */
    SCHEMA,
    /** An extension installed into one of the schemas. */
    EXTENSION,
    /** An enum type; property {@code values} lists the labels in their order. */
    ENUM_TYPE,
    /** A composite type created with {@code CREATE TYPE ... AS (...)}. */
    COMPOSITE_TYPE,
    /** A domain. */
    DOMAIN,
    /** A range type. */
    RANGE_TYPE,
    /** A sequence that is not an identity column's. */
    SEQUENCE,
    /** A table (plain, partitioned or foreign). */
    TABLE,
    /** A column of a table. */
    COLUMN,
    /** A constraint of a table (primary key, unique, foreign key, check, exclusion). */
    CONSTRAINT,
    /** An index. */
    INDEX,
    /** A view. */
    VIEW,
    /** A materialized view. */
    MATERIALIZED_VIEW,
    /** A function. */
    FUNCTION,
    /** A procedure. */
    PROCEDURE,
    /** An aggregate function. */
    AGGREGATE,
    /** A trigger (user-defined, not the internal ones behind foreign keys). */
    TRIGGER;

    /** The kind as people say it: {@code materialized view}, {@code enum type}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * Copies the properties into an immutable sorted map.
   *
   * @throws NullPointerException when kind, name or properties (or a property's value) is null
   */
  public SchemaObject {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      copy.put(Objects.requireNonNull(e.getKey(), "property name"), Objects.requireNonNull(e.getValue(), e.getKey()));
    }
    properties = Collections.unmodifiableSortedMap(copy);
  }

  /** The value of property {@code property}, or {@code null} when the object does not have it. */
  public String property(String property) {
    return properties.get(property);
  }

  /** True when property {@code property} is {@code "true"}. */
  public boolean is(String property) {
    return "true".equals(properties.get(property));
  }

  /**
   * The enum labels in their order, for an {@link Kind#ENUM_TYPE}; empty for other kinds.
   */
  public List<String> enumValues() {
    String values = properties.get("values");
    return kind == Kind.ENUM_TYPE && values != null ? Literals.parse(values) : List.of();
  }

  /**
   * A short description of what the object is, e.g. {@code text NOT NULL DEFAULT 'new'::text}
   * for a column, the definition of a constraint, or the labels of an enum.
   */
  public String summary() {
    switch (kind) {
      case COLUMN: {
        StringBuilder out = new StringBuilder(properties.getOrDefault("type", "?"));
        if (properties.containsKey("collation")) {
          out.append(" COLLATE ").append(properties.get("collation"));
        }
        if (is("not null")) {
          out.append(" NOT NULL");
        }
        if (properties.containsKey("generated")) {
          out.append(" GENERATED ALWAYS AS (").append(properties.get("generated")).append(") STORED");
        } else if (properties.containsKey("default")) {
          out.append(" DEFAULT ").append(properties.get("default"));
        }
        if (properties.containsKey("identity")) {
          out.append(" GENERATED ").append(properties.get("identity")).append(" AS IDENTITY");
        }
        return out.toString();
      }
      case CONSTRAINT:
      case INDEX:
      case TRIGGER:
        return oneLine(properties.getOrDefault("definition", ""))
            + ("false".equals(properties.get("validated")) ? " NOT VALID" : "")
            + ("false".equals(properties.get("valid")) ? " (INVALID)" : "");
      case ENUM_TYPE:
        return properties.getOrDefault("values", "");
      case COMPOSITE_TYPE:
        return properties.getOrDefault("attributes", "");
      case DOMAIN:
      case RANGE_TYPE:
      case SEQUENCE:
        return properties.getOrDefault("type", "");
      case FUNCTION:
      case AGGREGATE:
        return "returns " + properties.getOrDefault("result", "?") + ", language " + properties.getOrDefault("language", "?");
      case PROCEDURE:
        return "language " + properties.getOrDefault("language", "?");
      case TABLE:
        return properties.getOrDefault("kind", "table");
      case EXTENSION:
        return "version " + properties.getOrDefault("version", "?");
      default:
        return "";
    }
  }

  /** {@code column public.shop_jobs.state (text)}: kind, name and summary. */
  public String describe() {
    String summary = summary();
    return kind.label() + " " + name + (summary.isEmpty() ? "" : " (" + abbreviate(summary, 160) + ")");
  }

  /** {@link #describe()}. */
  @Override
  public String toString() {
    return describe();
  }

  static String oneLine(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  static String abbreviate(String text, int max) {
    String line = oneLine(text);
    return line.length() <= max ? line : line.substring(0, max - 3) + "...";
  }

  /** Renders and parses the list of single-quoted labels an enum's {@code values} property holds. */
  static final class Literals {
    private Literals() {}

    static String render(List<String> labels) {
      StringBuilder out = new StringBuilder();
      for (String label : labels) {
        if (out.length() > 0) {
          out.append(", ");
        }
        out.append('\'').append(label.replace("'", "''")).append('\'');
      }
      return out.toString();
    }

    static List<String> parse(String rendered) {
      List<String> labels = new ArrayList<>();
      StringBuilder current = null;
      for (int i = 0; i < rendered.length(); i++) {
        char c = rendered.charAt(i);
        if (current == null) {
          if (c == '\'') {
            current = new StringBuilder();
          }
        } else if (c == '\'') {
          if (i + 1 < rendered.length() && rendered.charAt(i + 1) == '\'') {
            current.append('\'');
            i++;
          } else {
            labels.add(current.toString());
            current = null;
          }
        } else {
          current.append(c);
        }
      }
      return labels;
    }
  }
}
