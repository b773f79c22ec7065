package dev.twostep.processor.internal.sql;

import dev.twostep.processor.internal.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A column's type as a statement writes it: the canonical name ({@code character varying},
 * {@code integer[]}) and its modifiers ({@code (20)}, {@code (10, 2)}). Knows which changes of
 * type PostgreSQL makes without rewriting the table (binary-coercible changes).
 *
 * @param name the canonical name, {@code []} appended for arrays
 * @param modifiers the type modifiers, empty when none
 */
public record ColumnType(String name, List<Integer> modifiers) {
  /**
   * Types that a type change commonly widens to without a rewrite (from varchar, numeric, cidr,
   * ...). When the old type is unknown, a change to one of these without {@code USING} is taken
   * as a widening; any other target type rewrites from every other type.
   */
  private static final Set<String> WIDENING_TARGETS =
      Set.of("text", "character varying", "numeric", "citext", "bit varying", "inet");

  public ColumnType {
    modifiers = List.copyOf(modifiers);
  }

  /** The type written in {@code tokens} (exactly a type name, as {@link TypeNames#typeEnd} delimits it). */
  static ColumnType of(List<Token> tokens) {
    List<Integer> modifiers = new ArrayList<>();
    int depth = 0;
    for (Token t : tokens) {
      if (t.is('(')) {
        depth++;
      } else if (t.is(')')) {
        depth--;
        if (depth == 0) {
          break;
        }
      } else if (depth == 1 && t.kind() == Kind.NUMBER) {
        try {
          modifiers.add(Integer.parseInt(t.text()));
        } catch (NumberFormatException e) {
          return new ColumnType(TypeNames.normalize(tokens), List.of());
        }
      } else if (t.is('[')) {
        break;
      }
    }
    return new ColumnType(TypeNames.normalize(tokens), modifiers);
  }

  /** A type without modifiers, e.g. {@code text}. */
  public static ColumnType named(String name, Integer... modifiers) {
    return new ColumnType(name, List.of(modifiers));
  }

  /**
   * True when PostgreSQL changes a column from this type to {@code to} without rewriting the
   * table or scanning it: the same type, varchar widened or made unbounded, varchar to text (and
   * back to unbounded varchar), numeric with more precision and the same scale or unconstrained,
   * bit varying widened, cidr to inet, and between text, varchar and citext.
   */
  public boolean binaryCoercibleTo(ColumnType to) {
    if (equals(to)) {
      return true;
    }
    String from = name;
    if (from.endsWith("[]") || to.name.endsWith("[]")) {
      return false;
    }
    boolean textLike = Set.of("text", "character varying", "citext").contains(from);
    if (textLike && (to.name.equals("text") || to.name.equals("citext"))) {
      return true;
    }
    if ((from.equals("character varying") && to.name.equals("character varying"))
        || (from.equals("bit varying") && to.name.equals("bit varying"))) {
      return to.modifiers.isEmpty() || (!modifiers.isEmpty() && to.modifiers.get(0) >= modifiers.get(0));
    }
    if (textLike && to.name.equals("character varying")) {
      return to.modifiers.isEmpty();
    }
    if (from.equals("numeric") && to.name.equals("numeric")) {
      if (to.modifiers.isEmpty()) {
        return true;
      }
      if (modifiers.isEmpty()) {
        return false;
      }
      int scale = modifiers.size() > 1 ? modifiers.get(1) : 0;
      int toScale = to.modifiers.size() > 1 ? to.modifiers.get(1) : 0;
      return scale == toScale && to.modifiers.get(0) >= modifiers.get(0);
    }
    return from.equals("cidr") && to.name.equals("inet");
  }

  /** True when a change from a column of unknown type to this one is taken as a widening (see {@link #WIDENING_TARGETS}). */
  public boolean commonWideningTarget() {
    return WIDENING_TARGETS.contains(name);
  }

  @Override
  public String toString() {
    if (modifiers.isEmpty()) {
      return name;
    }
    String mods = modifiers.stream().map(String::valueOf).collect(Collectors.joining(","));
    return name.endsWith("[]")
        ? name.substring(0, name.length() - 2) + "(" + mods + ")[]"
        : name + "(" + mods + ")";
  }
}
