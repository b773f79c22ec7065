package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.SQL;
import static dev.twostep.processor.internal.model.Diagnostic.error;
import static dev.twostep.processor.internal.model.Diagnostic.warning;

import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import dev.twostep.processor.internal.model.ObjectTimeline;
import dev.twostep.processor.internal.sql.ParsedStatement;
import dev.twostep.processor.internal.sql.SqlProblem;
import dev.twostep.processor.internal.sql.SqlScript;
import java.util.ArrayList;
import java.util.List;

/**
 * Every rule about the SQL of migrations: {@code sql-syntax}, {@code transaction-control},
 * {@code non-transactional-alone}, the {@code opaque-statement} warning, and through the
 * {@link ObjectTimeline} the {@link VersioningRules}, {@link PreContractRules} and {@link LockSafetyRules}. Reports every
 * problem unwaived; the entry class applies {@code @Waive} and {@code @SuppressWarnings}.
 * Migrations with an invalid release are skipped: the ordering rules report them.
 */
public final class SqlRules {
  private SqlRules() {}

  /** All SQL problems of {@code set}, in order of application. */
  public static List<Diagnostic> check(MigrationSetModel set) {
    return check(ObjectTimeline.of(set), set);
  }

  /** All SQL problems of {@code set}, whose {@code timeline} the caller already replayed. */
  public static List<Diagnostic> check(ObjectTimeline timeline, MigrationSetModel set) {
    List<Diagnostic> out = new ArrayList<>();
    for (MigrationModel m : set.migrations()) {
      SqlScript script = timeline.script(m);
      if (script != null) {
        checkStatements(m, script, set.isLegacy(m.release()), out);
      }
    }
    out.addAll(VersioningRules.check(timeline, set.versioned()));
    out.addAll(PreContractRules.check(timeline, set.versioned()));
    out.addAll(LockSafetyRules.check(timeline, set));
    return out;
  }

  private static void checkStatements(MigrationModel m, SqlScript script, boolean legacy, List<Diagnostic> out) {
    for (SqlProblem problem : script.problems()) {
      out.add(error(Rule.SQL_SYNTAX, m, SQL, Messages.sqlSyntax(m, problem)));
    }
    List<ParsedStatement> statements = script.statements();
    if (statements.isEmpty() && script.problems().isEmpty()) {
      out.add(error(Rule.SQL_SYNTAX, m, SQL, Messages.sqlEmpty(m)));
    }
    for (ParsedStatement s : statements) {
      if (s.transactionControl()) {
        out.add(error(Rule.TRANSACTION_CONTROL, m, SQL, Messages.transactionControl(m, s)));
      }
      if (s.nonTransactional() && statements.size() > 1) {
        out.add(error(Rule.NON_TRANSACTIONAL_ALONE, m, SQL, Messages.nonTransactionalAlone(m, s, statements.size())));
      }
      if (s.doBlock() && !legacy) {
        out.add(warning(Rule.OPAQUE_STATEMENT, m, SQL, Messages.opaqueStatement(m, s)));
      }
    }
  }
}
