package dev.twostep.runtime.snapshot;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.internal.ConnectionSource;
import dev.twostep.runtime.internal.SchemaProof;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The proof {@code baseline --release R} needs before it records R's migrations as applied
 * without running them: the live schema equals the schema of the catalog applied up to R:post on
 * an empty scratch database of the same server ({@link Rehearsal#schemaAt}), Twostep's own
 * tables aside. For {@link dev.twostep.runtime.Twostep#baseline(dev.twostep.Release, boolean)}, which
 * finds it through {@link java.util.ServiceLoader} ({@code META-INF/services}): this package
 * depends on the entry class, never the other way round.
 */
public final class BaselineProof implements SchemaProof {
  /** For {@link java.util.ServiceLoader}; {@code Twostep.baseline} is the way to use the proof. */
  public BaselineProof() {}

  @Override
  public Optional<String> differences(MigrationCatalog catalog, ConnectionSource.Login server, String historySchema,
      String historyTable, Duration lockTimeout, Connection live, SchemaState goal) {
    Target target = Target.of(goal.release(), goal.phase());
    Rehearsal rehearsal = Rehearsal.builder().catalog(catalog).server(server.url(), server.user(), server.password())
        .historyTable(historySchema, historyTable).lockTimeout(lockTimeout).build();
    SchemaSnapshot expected;
    try {
      expected = rehearsal.schemaAt(target);
    } catch (TwostepException e) {
      throw new TwostepException(e.reason(), "cannot prove that the database has the schema of " + target + ": applying the "
          + "catalog up to " + target + " on a scratch database of the same server failed: " + e.getMessage()
          + ". The proof needs a role that may CREATE DATABASE; without one, use --trust-schema"
          + " (Twostep.baseline(release, true)) if you are sure", e.sqlState().orElse(null), e);
    }
    SchemaSnapshot actual;
    try {
      actual = rehearsal.liveSchema(live);
    } catch (SQLException e) {
      throw new TwostepException(TwostepException.Reason.DATABASE_UNAVAILABLE, "cannot read the schema of the database to baseline: SQLSTATE " + e.getSQLState()
          + ": " + e.getMessage(), e.getSQLState(), e);
    }
    List<SchemaDiff.Change> changes = expected.diff(actual).mainChanges();
    if (changes.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    for (SchemaDiff.Change c : changes) {
      out.append("\n  ").append(c.describe());
    }
    return Optional.of(changes.size() + (changes.size() == 1 ? " difference" : " differences")
        + " (removed: " + target + " has it and this database does not; added: this database has it and "
        + target + " does not; changed: " + target + "'s value -> this database's):" + out);
  }
}
