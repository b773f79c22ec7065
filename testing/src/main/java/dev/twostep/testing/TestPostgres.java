package dev.twostep.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server for tests, one per JVM: the server named by the environment variable
 * {@code TWOSTEP_TEST_URL} (a JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}),
 * or else an embedded PostgreSQL started on first use and stopped when the JVM exits. Each test
 * takes its own database from {@link #createDatabase}, so tests never see each other's schema.
 */
public final class TestPostgres {
  /** The environment variable naming an existing server to test against. */
  public static final String URL_VARIABLE = "TWOSTEP_TEST_URL";

  private static final Pattern JDBC_URL =
      Pattern.compile("jdbc:postgresql://([^/?]+)(?:/([^?]*))?(?:\\?(.*))?");
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static TestPostgres shared;

  private final String hostPort;
  private final String adminDatabase;
  private final Properties credentials;
  private final EmbeddedPostgres embedded;

  private TestPostgres(String hostPort, String adminDatabase, Properties credentials, EmbeddedPostgres embedded) {
    this.hostPort = hostPort;
    this.adminDatabase = adminDatabase;
    this.credentials = credentials;
    this.embedded = embedded;
  }

  /** The server of this JVM, started or connected on first call. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      String url = System.getenv(URL_VARIABLE);
      shared = url == null || url.isBlank() ? startEmbedded() : connectTo(url.trim());
    }
    return shared;
  }

  private static TestPostgres startEmbedded() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException e) {
          // the JVM is exiting; the temporary data directory is removed by the library
        }
      }, "twostep-test-postgres-stop"));
      Properties credentials = new Properties();
      credentials.setProperty("user", "postgres");
      return new TestPostgres("localhost:" + postgres.getPort(), "postgres", credentials, postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL for tests", e);
    }
  }

  private static TestPostgres connectTo(String url) {
    Matcher m = JDBC_URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          URL_VARIABLE + " must look like jdbc:postgresql://host:port/database?user=name");
    }
    Properties credentials = new Properties();
    credentials.setProperty("user", "postgres");
    if (m.group(3) != null) {
      for (String pair : m.group(3).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          credentials.setProperty(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    String database = m.group(2) == null || m.group(2).isEmpty() ? "postgres" : m.group(2);
    return new TestPostgres(m.group(1), database, credentials, null);
  }

  /** True when this is the embedded server, false for {@code TWOSTEP_TEST_URL}. */
  public boolean isEmbedded() {
    return embedded != null;
  }

  /** The JDBC URL of {@code database} on this server, without credentials. */
  public String url(String database) {
    return "jdbc:postgresql://" + hostPort + "/" + database;
  }

  /** The server's host name. */
  public String host() {
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 || hostPort.endsWith("]") ? hostPort : hostPort.substring(0, colon);
  }

  /** The server's port (5432 when the URL names none). */
  public int port() {
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 || hostPort.endsWith("]") ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
  }

  /** The user tests connect as. */
  public String user() {
    return credentials.getProperty("user");
  }

  /** The password tests connect with, or {@code null}. */
  public String password() {
    return credentials.getProperty("password");
  }

  /** Opens a connection to {@code database} as the test user. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), (Properties) credentials.clone());
  }

  /**
   * Creates a fresh, empty database whose name starts with {@code twostep_} and {@code hint}.
   * Close the returned handle to drop it.
   */
  public TestDatabase createDatabase(String hint) {
    return createDatabase(hint, null);
  }

  /**
   * Creates a fresh database as a copy of {@code template} ({@code CREATE DATABASE ... TEMPLATE}),
   * or an empty one when {@code template} is null.
   */
  public TestDatabase createDatabase(String hint, String template) {
    String name = "twostep_" + sanitize(hint) + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(quote(name));
    if (template != null) {
      sql.append(" TEMPLATE ").append(quote(template));
    }
    execute(sql.toString());
    return new TestDatabase(this, name);
  }

  /** Drops {@code database}, terminating any session still connected to it. */
  public void dropDatabase(String database) {
    execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
  }

  private void execute(String sql) {
    try (Connection c = connect(adminDatabase); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test database setup failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  static String sanitize(String hint) {
    String s = hint == null ? "" : hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    s = s.replaceAll("^_+|_+$", "");
    return s.length() > 30 ? s.substring(0, 30) : s.isEmpty() ? "db" : s;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
