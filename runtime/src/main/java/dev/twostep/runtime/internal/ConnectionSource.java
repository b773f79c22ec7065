package dev.twostep.runtime.internal;

import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.common.BaseDataSource;

/**
 * Opens connections, from a {@link DataSource} or from a URL with user and password. Its
 * {@link #toString()} and its error messages never show the password.
 */
public final class ConnectionSource {
  private final DataSource dataSource;
  private final String url;
  private final String user;
  private final String password;

  private ConnectionSource(DataSource dataSource, String url, String user, String password) {
    this.dataSource = dataSource;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Connections from {@code dataSource}. */
  public static ConnectionSource of(DataSource dataSource) {
    return new ConnectionSource(Objects.requireNonNull(dataSource, "dataSource"), null, null, null);
  }

  /**
   * Connections from {@link DriverManager}; {@code user} and {@code password} may be null.
   *
   * @throws IllegalArgumentException when {@code url} names no database
   */
  public static ConnectionSource of(String url, String user, String password) {
    JdbcTarget.parse(Objects.requireNonNull(url, "url"));
    return new ConnectionSource(null, url, user, password);
  }

  /**
   * Opens a connection; the caller closes it.
   *
   * @throws TwostepException when it cannot connect, with the URL masked
   */
  public Connection open() {
    try {
      if (dataSource != null) {
        return dataSource.getConnection();
      }
      Properties properties = new Properties();
      if (user != null) {
        properties.setProperty("user", user);
      }
      if (password != null) {
        properties.setProperty("password", password);
      }
      properties.setProperty("ApplicationName", "twostep");
      return DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw new TwostepException(TwostepException.Reason.DATABASE_UNAVAILABLE,
          "cannot connect to " + this + ": " + mask(SqlFailures.message(e))
              + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"), e.getSQLState(),
          null);
    }
  }

  /**
   * The URL, user and password this source connects with, for work that needs other databases
   * on the same server (scratch databases); from a {@link DataSource} only when it is the
   * PostgreSQL driver's own (or wraps one). Empty otherwise.
   */
  public Optional<Login> login() {
    if (dataSource == null) {
      return Optional.of(new Login(url, user, password));
    }
    try {
      if (dataSource.isWrapperFor(BaseDataSource.class)) {
        BaseDataSource pg = dataSource.unwrap(BaseDataSource.class);
        return Optional.of(new Login(pg.getURL(), pg.getUser(), pg.getPassword()));
      }
    } catch (SQLException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * How to connect to the server: a JDBC URL (naming this source's database) with user and
   * password, each of the latter two may be null.
   */
  public record Login(String url, String user, String password) {
    /** Never shows the password. */
    @Override
    public String toString() {
      return "Login[" + Redaction.mask(url, Redaction.urlPasswords(url)) + "]";
    }
  }

  /** Masks the password in {@code text}, whatever form it takes. */
  public String mask(String text) {
    List<String> secrets = new ArrayList<>(Redaction.urlPasswords(url));
    secrets.add(password);
    return Redaction.mask(text, secrets);
  }

  /** The masked URL, or a description of the data source. */
  @Override
  public String toString() {
    return dataSource != null ? "the configured DataSource" : mask(url);
  }

  /**
   * Closes connections a run gives up on, ignoring failures: the failure that made the run give
   * up, or its outcome, is what gets reported.
   */
  public static void closeQuietly(Connection... connections) {
    for (Connection c : connections) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException | RuntimeException ignored) {
          // see above
        }
      }
    }
  }
}
