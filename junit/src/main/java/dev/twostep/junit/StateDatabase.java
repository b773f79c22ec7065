package dev.twostep.junit;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.snapshot.SchemaSnapshot;
import dev.twostep.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A test's own database, created at a schema state of a catalog by {@link AtState}: for tests
 * that need more than a {@link DataSource}, such as moving the database on to a later state to
 * test a data migration, or comparing its schema. Dropped after the test.
 *
 * <pre>{@code
 * @Test
 * void backfillKeepsJobs(@AtState("1.0.0") StateDatabase db) throws Exception {
 *   try (Connection c = db.connect()) { ...insert jobs... }
 *   db.migrate("2.0.0:pre");
 *   try (Connection c = db.connect()) { ...assert the backfill... }
 * }
 * }</pre>
 */
public final class StateDatabase {
  private final TestDatabase database;
  private final MigrationCatalog catalog;
  private final SchemaState state;

  StateDatabase(TestDatabase database, MigrationCatalog catalog, SchemaState state) {
    this.database = database;
    this.catalog = catalog;
    this.state = state;
  }

  /** The database's name. */
  public String name() {
    return database.name();
  }

  /** Its JDBC URL, without credentials. */
  public String url() {
    return database.url();
  }

  /** The user to connect as. */
  public String user() {
    return database.user();
  }

  /** The password to connect with, or {@code null}. */
  public String password() {
    return database.password();
  }

  /** The state it was created at, e.g. {@code 2.0.0:pre}; {@link SchemaState#EMPTY} for {@code "empty"}. */
  public SchemaState createdAt() {
    return state;
  }

  /** The catalog it follows. */
  public MigrationCatalog catalog() {
    return catalog;
  }

  /** A {@link DataSource} opening connections to it. */
  public DataSource dataSource() {
    return database.dataSource();
  }

  /**
   * Opens a new connection; the caller closes it.
   *
   * @throws SQLException when it cannot connect
   */
  public Connection connect() throws SQLException {
    return database.connect();
  }

  /** A {@link Twostep} for this database and catalog, to migrate it further or ask its status. */
  public Twostep twostep() {
    return Twostep.builder().dataSource(dataSource()).catalog(catalog).build();
  }

  /**
   * Migrates it on to {@code target} ({@code "2.0.0:pre"}, {@code "post"}, ...), as a deploy would.
   *
   * @throws dev.twostep.runtime.TwostepException when a migration fails or Twostep refuses
   * @throws IllegalArgumentException when {@code target} cannot be parsed
   */
  public MigrateResult migrate(String target) {
    return twostep().migrate(Target.parse(target));
  }

  /**
   * Reads its schema now (without the history table).
   *
   * @throws SQLException when the catalog cannot be read
   */
  public SchemaSnapshot snapshot() throws SQLException {
    try (Connection c = connect()) {
      return SchemaSnapshot.read(c);
    }
  }

  /** {@code name at state}. */
  @Override
  public String toString() {
    return database.name() + " at " + state;
  }
}
