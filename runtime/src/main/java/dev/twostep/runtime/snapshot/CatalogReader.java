package dev.twostep.runtime.snapshot;

import dev.twostep.runtime.snapshot.SchemaObject.Kind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the objects of a set of schemas from {@code pg_catalog}, one query per group of kinds (a
 * snapshot of a whole schema takes eight queries whatever its size). Objects that belong to an
 * extension are left out: the extension stands for them.
 */
final class CatalogReader {
  private static final String SYSTEM_SCHEMAS =
      "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
          + "AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

  private final Connection connection;
  private final List<SchemaObject> out = new ArrayList<>();
  private Array schemas;

  private CatalogReader(Connection connection) {
    this.connection = connection;
  }

  /**
   * Reads the objects of {@code schemas}, or of every schema that is neither a system schema nor
   * an extension's when {@code schemas} is empty.
   */
  static List<SchemaObject> read(Connection connection, Collection<String> schemas) throws SQLException {
    CatalogReader reader = new CatalogReader(connection);
    List<String> names = reader.schemas(schemas);
    reader.schemas = connection.createArrayOf("text", names.toArray());
    try {
      reader.extensions();
      reader.types();
      reader.relations();
      reader.columns();
      reader.constraints();
      reader.indexes();
      reader.routines();
      reader.triggers();
    } finally {
      reader.schemas.free();
    }
    return reader.out;
  }

  private static String notExtensionMember(String catalog, String oid) {
    return "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = " + oid
        + " AND e.deptype = 'e')";
  }

  private List<String> schemas(Collection<String> wanted) throws SQLException {
    String sql = "SELECT n.nspname FROM pg_namespace n WHERE "
        + (wanted.isEmpty() ? SYSTEM_SCHEMAS + " AND " + notExtensionMember("pg_namespace", "n.oid") : "n.nspname = ANY(?)")
        + " ORDER BY 1";
    List<String> names = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      if (!wanted.isEmpty()) {
        s.setArray(1, connection.createArrayOf("text", wanted.toArray()));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
          out.add(new SchemaObject(Kind.SCHEMA, rs.getString(1), null, Map.of()));
        }
      }
    }
    return names;
  }

  /** Runs {@code sql}, whose only parameter is the array of schema names, row by row. */
  private void query(String sql, RowReader reader) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setArray(1, schemas);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    }
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void add(Kind kind, String name, String parent, Map<String, String> properties) {
    out.add(new SchemaObject(kind, name, parent, properties));
  }

  private static void put(Map<String, String> properties, String key, String value) {
    if (value != null) {
      properties.put(key, value);
    }
  }

  private void extensions() throws SQLException {
    query("SELECT x.extname, x.extversion, n.nspname FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace "
        + "WHERE n.nspname = ANY(?)", rs -> {
          Map<String, String> p = new TreeMap<>();
          put(p, "version", rs.getString(2));
          put(p, "schema", rs.getString(3));
          add(Kind.EXTENSION, rs.getString(1), null, p);
        });
  }

  private void types() throws SQLException {
    query("SELECT n.nspname, t.typname, t.typtype, "
        + "(SELECT array_agg(v.enumlabel ORDER BY v.enumsortorder) FROM pg_enum v WHERE v.enumtypid = t.oid), "
        + "(SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) "
        + "   FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), "
        + "CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END, t.typnotnull, t.typdefault, "
        + "(SELECT string_agg(pg_get_constraintdef(k.oid), ' ' ORDER BY k.conname) FROM pg_constraint k "
        + "   WHERE k.contypid = t.oid AND k.contype = 'c'), "
        + "(SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) "
        + "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        + "WHERE n.nspname = ANY(?) AND " + notExtensionMember("pg_type", "t.oid") + " AND (t.typtype IN ('e', 'd', 'r') "
        + "  OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))",
        rs -> {
          String name = rs.getString(1) + "." + rs.getString(2);
          Map<String, String> p = new TreeMap<>();
          switch (rs.getString(3)) {
            case "e": {
              Array labels = rs.getArray(4);
              List<String> values = new ArrayList<>();
              if (labels != null) {
                for (Object label : (Object[]) labels.getArray()) {
                  values.add((String) label);
                }
              }
              p.put("values", SchemaObject.Literals.render(values));
              add(Kind.ENUM_TYPE, name, null, p);
              break;
            }
            case "c":
              put(p, "attributes", rs.getString(5));
              add(Kind.COMPOSITE_TYPE, name, null, p);
              break;
            case "d":
              put(p, "type", rs.getString(6));
              p.put("not null", Boolean.toString(rs.getBoolean(7)));
              put(p, "default", rs.getString(8));
              put(p, "constraints", rs.getString(9));
              add(Kind.DOMAIN, name, null, p);
              break;
            default:
              put(p, "type", rs.getString(10));
              add(Kind.RANGE_TYPE, name, null, p);
          }
        });
  }

  private void relations() throws SQLException {
    query("SELECT n.nspname, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, "
        + "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
        + "CASE WHEN c.relispartition THEN (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i "
        + "   JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace "
        + "   WHERE i.inhrelid = c.oid) || ' ' || pg_get_expr(c.relpartbound, c.oid) END, "
        + "CASE WHEN NOT c.relispartition THEN (SELECT string_agg(pn.nspname || '.' || p.relname, ', ' ORDER BY i.inhseqno) "
        + "   FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace "
        + "   WHERE i.inhrelid = c.oid) END, "
        + "CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END, "
        + "format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, "
        + "(SELECT dn.nspname || '.' || dc.relname || chr(31) || da.attname || chr(31) || d.deptype::text FROM pg_depend d "
        + "   JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace "
        + "   JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid "
        + "   WHERE c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid "
        + "   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1) "
        + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_sequence s ON s.seqrelid = c.oid "
        + "WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND n.nspname = ANY(?) AND "
        + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          String name = rs.getString(1) + "." + rs.getString(2);
          Map<String, String> p = new TreeMap<>();
          String relkind = rs.getString(3);
          switch (relkind) {
            case "v":
            case "m":
              put(p, "definition", rs.getString(9));
              add(relkind.equals("v") ? Kind.VIEW : Kind.MATERIALIZED_VIEW, name, null, p);
              return;
            case "S": {
              String owner = rs.getString(17);
              String parent = null;
              if (owner != null) {
                String[] parts = owner.split("\u001f", -1);
                if (parts[2].equals("i")) {
                  return; // an identity column's sequence: the column's identity property stands for it
                }
                parent = parts[0];
                p.put("owned by", parts[0] + "." + parts[1]);
              }
              put(p, "type", rs.getString(10));
              put(p, "start", rs.getString(11));
              put(p, "increment", rs.getString(12));
              put(p, "min", rs.getString(13));
              put(p, "max", rs.getString(14));
              put(p, "cache", rs.getString(15));
              p.put("cycle", Boolean.toString(rs.getBoolean(16)));
              add(Kind.SEQUENCE, name, parent, p);
              return;
            }
            default:
              p.put("kind", relkind.equals("p") ? "partitioned table" : relkind.equals("f") ? "foreign table" : "table");
              if ("u".equals(rs.getString(4))) {
                p.put("persistence", "unlogged");
              }
              p.put("row security", Boolean.toString(rs.getBoolean(5)));
              put(p, "partition key", rs.getString(6));
              put(p, "partition of", rs.getString(7));
              put(p, "inherits", rs.getString(8));
              add(Kind.TABLE, name, null, p);
          }
        });
  }

  private void columns() throws SQLException {
    query("SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        + "pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
        + "CASE WHEN a.attcollation <> t.typcollation THEN co.collname END "
        + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "JOIN pg_type t ON t.oid = a.atttypid "
        + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        + "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
        + "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND n.nspname = ANY(?) AND "
        + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          String table = rs.getString(1) + "." + rs.getString(2);
          Map<String, String> p = new TreeMap<>();
          put(p, "type", rs.getString(4));
          p.put("not null", Boolean.toString(rs.getBoolean(5)));
          String expression = rs.getString(6);
          String identity = rs.getString(7);
          String generated = rs.getString(8);
          if (generated != null && !generated.isEmpty()) {
            put(p, "generated", expression);
          } else {
            put(p, "default", expression);
          }
          if ("a".equals(identity)) {
            p.put("identity", "ALWAYS");
          } else if ("d".equals(identity)) {
            p.put("identity", "BY DEFAULT");
          }
          put(p, "collation", rs.getString(9));
          add(Kind.COLUMN, table + "." + rs.getString(3), table, p);
        });
  }

  private void constraints() throws SQLException {
    // contype 'n' (NOT NULL constraints, PostgreSQL 18+) is left out: the column's "not null" stands for it
    query("SELECT n.nspname, c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.convalidated "
        + "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE k.contype IN ('p', 'u', 'f', 'c', 'x', 't') AND n.nspname = ANY(?) AND "
        + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          String table = rs.getString(1) + "." + rs.getString(2);
          Map<String, String> p = new TreeMap<>();
          p.put("type", constraintType(rs.getString(4)));
          // "validated" says whether it is NOT VALID; VALIDATE CONSTRAINT must not read as a new definition
          String definition = rs.getString(5);
          if (definition != null && definition.endsWith(" NOT VALID")) {
            definition = definition.substring(0, definition.length() - " NOT VALID".length());
          }
          put(p, "definition", definition);
          p.put("validated", Boolean.toString(rs.getBoolean(6)));
          add(Kind.CONSTRAINT, table + "." + rs.getString(3), table, p);
        });
  }

  private static String constraintType(String contype) {
    switch (contype) {
      case "p":
        return "primary key";
      case "u":
        return "unique";
      case "f":
        return "foreign key";
      case "c":
        return "check";
      case "x":
        return "exclusion";
      default:
        return "constraint trigger";
    }
  }

  private void indexes() throws SQLException {
    query("SELECT n.nspname, ic.relname, c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid, i.indisunique, "
        + "(SELECT k.conname FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid "
        + "   AND k.contype IN ('p', 'u', 'x') LIMIT 1) "
        + "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid "
        + "JOIN pg_namespace n ON n.oid = ic.relnamespace "
        + "WHERE n.nspname = ANY(?) AND " + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          Map<String, String> p = new TreeMap<>();
          put(p, "definition", rs.getString(4));
          p.put("valid", Boolean.toString(rs.getBoolean(5)));
          p.put("unique", Boolean.toString(rs.getBoolean(6)));
          put(p, "constraint", rs.getString(7));
          add(Kind.INDEX, rs.getString(1) + "." + rs.getString(2), rs.getString(1) + "." + rs.getString(3), p);
        });
  }

  private void routines() throws SQLException {
    query("SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prokind, "
        + "CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END, "
        + "CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END, l.lanname "
        + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang "
        + "WHERE n.nspname = ANY(?) AND " + notExtensionMember("pg_proc", "p.oid"),
        rs -> {
          String kind = rs.getString(4);
          Map<String, String> p = new TreeMap<>();
          put(p, "definition", rs.getString(5));
          put(p, "result", rs.getString(6));
          put(p, "language", rs.getString(7));
          add(kind.equals("p") ? Kind.PROCEDURE : kind.equals("a") ? Kind.AGGREGATE : Kind.FUNCTION,
              rs.getString(1) + "." + rs.getString(2) + "(" + rs.getString(3) + ")", null, p);
        });
  }

  private void triggers() throws SQLException {
    query("SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid, false), t.tgenabled "
        + "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE NOT t.tgisinternal AND n.nspname = ANY(?) AND " + notExtensionMember("pg_class", "c.oid"),
        rs -> {
          String table = rs.getString(1) + "." + rs.getString(2);
          Map<String, String> p = new TreeMap<>();
          put(p, "definition", rs.getString(4));
          String enabled = rs.getString(5);
          p.put("enabled", "O".equals(enabled) ? "yes" : "D".equals(enabled) ? "disabled" : "R".equals(enabled) ? "replica" : "always");
          add(Kind.TRIGGER, table + "." + rs.getString(3), table, p);
        });
  }
}
