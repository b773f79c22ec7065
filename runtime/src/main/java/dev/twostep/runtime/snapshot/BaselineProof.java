package dev.twostep.runtime.snapshot;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.TwostepException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The proof {@code baseline --release R} needs before it records R's migrations as applied
 * without running them: the live schema equals the schema of the catalog applied up to R:post on
 * an empty scratch database of the same server ({@link Rehearsal#schemaAt}), Twostep's own
 * tables aside. For {@link dev.twostep.runtime.Twostep#baseline(String, boolean)}.
 */
public final class BaselineProof {
  private BaselineProof() {}

  /**
   * The differences between the live schema read on {@code live} and the rehearsed schema of
   * {@code target}, as lines for people; empty when there are none.
   *
   * @param catalog the catalog to rehearse
   * @param server the server's JDBC URL with user and password (each may be null)
   * @param historySchema the history table's schema
   * @param historyTable the history table's name
   * @param lockTimeout the lock timeout of the scratch deploy
   * @param live a connection to the database to baseline
   * @param target the state to prove, {@code R:post}
   * @throws TwostepException when the scratch database cannot be created or migrated, or the live
   *     schema cannot be read
   */
  public static Optional<String> differences(MigrationCatalog catalog, String server, String user, String password,
      String historySchema, String historyTable, Duration lockTimeout, Connection live, Target target) {
    Rehearsal rehearsal = Rehearsal.builder().catalog(catalog).server(server, user, password)
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
