package dev.twostep.processor.internal.sql;

import dev.twostep.ObjectKind;
import java.util.Objects;

/**
 * What one statement does to the schema, as far as the blue-green rules care. A statement has
 * zero or more effects ({@code DROP FUNCTION a_v1(int), b_v1(text)} has two).
 */
public sealed interface Effect {

  /**
   * Where PostgreSQL keeps the names of a kind of object: two objects of one namespace and schema
   * cannot share a name (routines also need different signatures; triggers live per table).
   */
  enum Namespace {
    /** Tables, views, materialized views, indexes, sequences. */
    RELATION,
    /** Enum, composite and other types, domains. */
    TYPE,
    /** Functions and procedures, identified by name and argument types. */
    ROUTINE,
    /** Triggers, per table. */
    TRIGGER,
    SCHEMA,
    EXTENSION;

    /** The namespace of objects of {@code kind}. */
    public static Namespace of(ObjectKind kind) {
      switch (kind) {
        case FUNCTION:
        case PROCEDURE:
          return ROUTINE;
        case TRIGGER:
          return TRIGGER;
        case COMPOSITE_TYPE:
        case ENUM_TYPE:
        case DOMAIN:
          return TYPE;
        case SCHEMA:
          return SCHEMA;
        case EXTENSION:
          return EXTENSION;
        default:
          return RELATION;
      }
    }
  }

  /**
   * A database object as a statement names it.
   *
   * @param namespace where its name lives
   * @param kind its kind, or {@code null} when the statement does not say ({@code DROP TYPE},
   *     {@code DROP ROUTINE}): the object timeline knows it from the object's creation
   * @param name its name
   * @param signature for a routine its normalized argument types, e.g. {@code "(integer, text)"};
   *     {@code null} when not given ({@code DROP FUNCTION f}) or not a routine
   * @param table for a trigger or index the table it is on, else {@code null}
   */
  record ObjectRef(Namespace namespace, ObjectKind kind, ObjectName name, String signature, ObjectName table) {
    public ObjectRef {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
    }

    /** A reference whose kind the statement states. */
    public static ObjectRef of(ObjectKind kind, ObjectName name) {
      return new ObjectRef(Namespace.of(kind), kind, name, null, null);
    }
  }

  /** {@code CREATE [OR REPLACE] ... [IF NOT EXISTS]} of an object. */
  record Create(ObjectRef object, boolean orReplace, boolean ifNotExists) implements Effect {}

  /** {@code DROP ... [IF EXISTS] ... [CASCADE]} of one object. */
  record Drop(ObjectRef object, boolean ifExists, boolean cascade) implements Effect {}

  /** {@code ALTER ... RENAME TO} or {@code SET SCHEMA}: the object gets the name {@code newName}. */
  record Rename(ObjectRef object, ObjectName newName, boolean ifExists) implements Effect {}

  /** A change to an object's contract short of renaming it: attributes of a composite type, columns of a view. */
  record Alter(ObjectRef object, Change change, String member) implements Effect {
    /** What changes. */
    public enum Change {
      ADD_ATTRIBUTE("adds attribute"),
      DROP_ATTRIBUTE("drops attribute"),
      ALTER_ATTRIBUTE_TYPE("changes the type of attribute"),
      RENAME_ATTRIBUTE("renames attribute"),
      RENAME_COLUMN("renames column");

      private final String verb;

      Change(String verb) {
        this.verb = verb;
      }

      /** {@code "drops attribute"}. */
      public String verb() {
        return verb;
      }

      /** False when code that does not know the change keeps working (a new attribute). */
      public boolean breaksExistingCode() {
        return this != ADD_ATTRIBUTE;
      }
    }
  }

  /**
   * {@code ALTER TABLE ... ADD [COLUMN]}.
   *
   * @param notNull declared {@code NOT NULL} or {@code PRIMARY KEY}
   * @param hasDefault has a non-null default, is serial, identity or generated
   */
  record AddColumn(ObjectName table, String column, boolean notNull, boolean hasDefault) implements Effect {}

  /** {@code ALTER TABLE ... DROP [COLUMN]}. */
  record DropColumn(ObjectName table, String column) implements Effect {}

  /** {@code ALTER TABLE ... RENAME [COLUMN] a TO b}. */
  record RenameColumn(ObjectName table, String column, String newName) implements Effect {}

  /** {@code ALTER TABLE ... ALTER [COLUMN] c ...}. */
  record AlterColumn(ObjectName table, String column, ColumnChange change) implements Effect {}

  /** What {@link AlterColumn} does. */
  enum ColumnChange {
    TYPE,
    SET_NOT_NULL,
    DROP_NOT_NULL,
    SET_DEFAULT,
    DROP_DEFAULT
  }

  /** {@code ALTER TABLE ... ADD [CONSTRAINT name] ... [NOT VALID]}; {@code name} is {@code null} when unnamed. */
  record AddConstraint(ObjectName table, String name, boolean notValid) implements Effect {}

  /** {@code ALTER TABLE ... DROP CONSTRAINT}. */
  record DropConstraint(ObjectName table, String name) implements Effect {}

  /** {@code ALTER TABLE ... RENAME CONSTRAINT a TO b}. */
  record RenameConstraint(ObjectName table, String name, String newName) implements Effect {}

  /** {@code ALTER TABLE ... VALIDATE CONSTRAINT}. */
  record ValidateConstraint(ObjectName table, String name) implements Effect {}

  /** {@code ALTER TYPE ... ADD VALUE}. */
  record AddEnumValue(ObjectName type, String value) implements Effect {}

  /** {@code ALTER TYPE ... RENAME VALUE a TO b}. */
  record RenameEnumValue(ObjectName type, String value, String newValue) implements Effect {}
}
