package dev.twostep.processor.internal.model;

import dev.twostep.Rule;
import java.util.Comparator;

/**
 * A problem found by a check, in plain values. The processor's entry class maps it back to the
 * element (by {@link #className}) and annotation value (by {@link #anchor}).
 *
 * @param severity error, warning or note
 * @param rule the rule, e.g. {@link Rule#DUPLICATE_STEP}
 * @param className the migration it is about, or {@code null} for the set as a whole
 * @param anchor which attribute of the migration's annotation the caret goes on
 * @param message the full text after {@code [twostep:<rule>] }
 * @param waiver with {@link Anchor#WAIVE}: which of the migration's {@code @Waive} annotations
 *     (0-based, in {@link MigrationModel#waivers()} order) it is about; otherwise -1
 */
public record Diagnostic(Severity severity, Rule rule, String className, Anchor anchor, String message, int waiver) {

  /** A diagnostic about no particular {@code @Waive}. */
  public Diagnostic(Severity severity, Rule rule, String className, Anchor anchor, String message) {
    this(severity, rule, className, anchor, message, -1);
  }

  /** Stable order for reporting: by class, then rule, then message. */
  public static final Comparator<Diagnostic> ORDER =
      Comparator.comparing(Diagnostic::className, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(d -> d.rule().id())
          .thenComparing(Diagnostic::message);

  /** How serious. */
  public enum Severity {
    ERROR,
    WARNING,
    NOTE
  }

  /** Where on the migration's annotation the diagnostic points. */
  public enum Anchor {
    CLASS,
    RELEASE,
    STEP,
    SQL,
    DESCRIPTION,
    WAIVE,
    /** The {@code table} of an expand/contract operation. */
    TABLE,
    /** The {@code from} of a {@code @RenameColumn}. */
    FROM,
    /** The {@code to} of a {@code @RenameColumn}. */
    TO,
    /** The {@code column} of an expand/contract operation. */
    COLUMN,
    /** The {@code backfill} of a {@code @SetNotNull}. */
    BACKFILL,
    /** The {@code columns} of a key or constraint. */
    COLUMNS,
    /** The {@code references} of an {@code @AddForeignKey}. */
    REFERENCES,
    /** The {@code type} of a {@code @ChangeColumnType}. */
    TYPE,
    /** The {@code using} of a {@code @ChangeColumnType}. */
    USING
  }

  /** An error on a migration's annotation attribute. */
  public static Diagnostic error(Rule rule, MigrationModel on, Anchor anchor, String message) {
    return new Diagnostic(Severity.ERROR, rule, on.className(), anchor, message);
  }

  /** A warning on a migration's annotation attribute. */
  public static Diagnostic warning(Rule rule, MigrationModel on, Anchor anchor, String message) {
    return new Diagnostic(Severity.WARNING, rule, on.className(), anchor, message);
  }

  /** A problem with the {@code index}-th {@code @Waive} of {@code on} (0-based). */
  public static Diagnostic onWaiver(Severity severity, MigrationModel on, int index, String message) {
    return new Diagnostic(severity, Rule.WAIVER, on.className(), Anchor.WAIVE, message, index);
  }

  /** The text as the compiler shows it: {@code [twostep:rule] message}. */
  public String text() {
    return rule.tag() + " " + message;
  }

  /** This diagnostic turned into a note because the rule was waived for {@code reason}. */
  public Diagnostic waived(String reason) {
    return new Diagnostic(Severity.NOTE, rule, className, anchor, message + " (waived: " + reason + ")", waiver);
  }
}
