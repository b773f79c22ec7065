package dev.twostep.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Child process of {@link ApplyBenchmark}, the floor: plain JDBC runs the script {@code args[0]}
 * (written by {@link MigrationSources#writeJdbc}) on the database named by {@code TWOSTEP_URL},
 * {@code TWOSTEP_USER} and {@code TWOSTEP_PASSWORD}: per migration one transaction holding its
 * statements and one insert into a minimal history table. No lock, no checksum, no checks.
 */
public final class JdbcApply {
  private JdbcApply() {}

  public static void main(String[] args) throws Exception {
    Properties properties = new Properties();
    if (System.getenv("TWOSTEP_USER") != null) {
      properties.setProperty("user", System.getenv("TWOSTEP_USER"));
    }
    if (System.getenv("TWOSTEP_PASSWORD") != null) {
      properties.setProperty("password", System.getenv("TWOSTEP_PASSWORD"));
    }
    int applied = 0;
    try (Connection connection = DriverManager.getConnection(System.getenv("TWOSTEP_URL"), properties);
        BufferedReader script = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      try (Statement s = connection.createStatement()) {
        s.execute("CREATE TABLE bench_history (version int PRIMARY KEY, description text NOT NULL, "
            + "applied_at timestamptz NOT NULL DEFAULT now(), execution_ms bigint NOT NULL)");
      }
      connection.setAutoCommit(false);
      try (PreparedStatement history = connection.prepareStatement(
          "INSERT INTO bench_history (version, description, execution_ms) VALUES (?, ?, ?)")) {
        int version = 0;
        List<String> statements = new ArrayList<>();
        for (String line = script.readLine(); ; line = script.readLine()) {
          if (line == null || line.startsWith("-- migration ")) {
            if (version > 0) {
              long start = System.nanoTime();
              for (String sql : statements) {
                try (Statement s = connection.createStatement()) {
                  s.execute(sql);
                }
              }
              history.setInt(1, version);
              history.setString(2, "m" + version);
              history.setLong(3, (System.nanoTime() - start) / 1_000_000);
              history.executeUpdate();
              connection.commit();
              applied++;
            }
            if (line == null) {
              break;
            }
            version = Integer.parseInt(line.substring("-- migration ".length()).trim());
            statements.clear();
          } else if (!line.isBlank()) {
            statements.add(line.endsWith(";") ? line.substring(0, line.length() - 1) : line);
          }
        }
      }
    }
    System.out.println("jdbc: " + applied + " migrations applied");
  }
}
