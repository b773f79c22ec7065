package dev.twostep.processor.internal.model;

/**
 * The facts about a migration class that decide whether generated code can use it.
 *
 * @param kind what the annotated type is
 * @param javaMigration implements {@code dev.twostep.JavaMigration}
 * @param nonTransactional implements {@code dev.twostep.NonTransactional}
 * @param bothPhases carries both {@code @PreMigration} and {@code @PostMigration}
 * @param abstractClass is abstract
 * @param innerClass is a non-static nested class
 * @param access the least visibility along the class and its enclosing classes
 * @param noArgConstructor visibility of its no-argument constructor, {@code null} when it has none
 */
public record ClassShape(
    TypeKind kind,
    boolean javaMigration,
    boolean nonTransactional,
    boolean bothPhases,
    boolean abstractClass,
    boolean innerClass,
    Access access,
    Access noArgConstructor) {

  /** The kinds of types an annotation can sit on. */
  public enum TypeKind {
    CLASS,
    INTERFACE,
    ENUM,
    RECORD,
    ANNOTATION
  }

  /** Java visibility, least visible first. */
  public enum Access {
    PRIVATE,
    PACKAGE,
    PROTECTED,
    PUBLIC;

    /** True when code in another package (not a subclass) can use it. */
    public boolean visibleOutsidePackage() {
      return this == PUBLIC;
    }
  }

  /** A plain, public, top-level class without a Java body: the common SQL migration. */
  public static ClassShape sqlClass() {
    return new ClassShape(TypeKind.CLASS, false, false, false, false, false, Access.PUBLIC, Access.PUBLIC);
  }
}
