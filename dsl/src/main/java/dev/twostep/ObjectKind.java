package dev.twostep;

/** Kinds of database objects, as used by {@link MigrationSet#versioned()}. */
public enum ObjectKind {
  TABLE,
  VIEW,
  MATERIALIZED_VIEW,
  FUNCTION,
  PROCEDURE,
  TRIGGER,
  COMPOSITE_TYPE,
  ENUM_TYPE,
  DOMAIN,
  SEQUENCE,
  INDEX,
  SCHEMA,
  EXTENSION;

  /** The kind as PostgreSQL spells it in DDL, in lower case ({@code "materialized view"}). */
  public String sqlName() {
    switch (this) {
      case MATERIALIZED_VIEW:
        return "materialized view";
      case COMPOSITE_TYPE:
        return "composite type";
      case ENUM_TYPE:
        return "enum type";
      default:
        return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
