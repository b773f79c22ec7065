package dev.twostep.testing;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A database of its own for one test, dropped by {@link #close()}. */
public final class TestDatabase implements AutoCloseable {
  private final TestPostgres server;
  private final String name;

  TestDatabase(TestPostgres server, String name) {
    this.server = server;
    this.name = name;
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /** The server it lives on. */
  public TestPostgres server() {
    return server;
  }

  /** Its JDBC URL, without credentials. */
  public String url() {
    return server.url(name);
  }

  /** The user to connect as. */
  public String user() {
    return server.user();
  }

  /** The password to connect with, or {@code null}. */
  public String password() {
    return server.password();
  }

  /** Opens a new connection; the caller closes it. */
  public Connection connect() throws SQLException {
    return server.connect(name);
  }

  /** A {@link DataSource} opening connections to this database. */
  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url());
    ds.setUser(user());
    if (password() != null) {
      ds.setPassword(password());
    }
    return ds;
  }

  @Override
  public void close() {
    server.dropDatabase(name);
  }
}
