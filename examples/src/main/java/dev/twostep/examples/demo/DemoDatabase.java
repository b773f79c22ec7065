package dev.twostep.examples.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database the demo deploys to: a fresh database {@code twostep_demo} on the server named by
 * {@code --url} (or {@code TWOSTEP_URL}), or an embedded PostgreSQL started for the demo.
 */
final class DemoDatabase implements AutoCloseable {
  static final String DATABASE = "twostep_demo";

  private final DataSource dataSource;
  private final EmbeddedPostgres embedded;

  private DemoDatabase(DataSource dataSource, EmbeddedPostgres embedded) {
    this.dataSource = dataSource;
    this.embedded = embedded;
  }

  DataSource dataSource() {
    return dataSource;
  }

  static DemoDatabase open(String[] args, PrintStream out) throws IOException, SQLException {
    String url = env("TWOSTEP_URL");
    String user = env("TWOSTEP_USER");
    String password = env("TWOSTEP_PASSWORD");
    List<String> words = Arrays.stream(args).filter(a -> !a.isBlank()).flatMap(a -> Arrays.stream(a.strip().split("\\s+"))).toList();
    for (int i = 0; i < words.size(); i += 2) {
      if (i + 1 >= words.size()) {
        throw new IllegalArgumentException(words.get(i) + " needs a value");
      }
      switch (words.get(i)) {
        case "--url" -> url = words.get(i + 1);
        case "--user" -> user = words.get(i + 1);
        case "--password" -> password = words.get(i + 1);
        default -> throw new IllegalArgumentException("unknown option " + words.get(i) + " (use --url, --user, --password)");
      }
    }
    if (url == null) {
      out.println("Starting an embedded PostgreSQL (pass --url jdbc:postgresql://host/db to use a server) ...");
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
      ds.setUser("postgres");
      try (Connection c = ds.getConnection()) {
        out.printf("PostgreSQL %s, embedded on port %d.%n%n", c.getMetaData().getDatabaseProductVersion(), postgres.getPort());
      }
      return new DemoDatabase(ds, postgres);
    }
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    try (Connection admin = DriverManager.getConnection(url, props); Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + DATABASE);
      out.printf("PostgreSQL %s at %s: deploying into a fresh database %s.%n%n",
          admin.getMetaData().getDatabaseProductVersion(), withoutCredentials(url), DATABASE);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url.replaceFirst("(jdbc:postgresql://[^/?]+)(/[^?]*)?", "$1/" + DATABASE));
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    return new DemoDatabase(ds, null);
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? null : value;
  }

  static String withoutCredentials(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
