package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.RuntimeTestSupport;
import dev.twostep.runtime.cli.TwostepCommandLine;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a PostgreSQL server of its own (never the shared test server, which other tests use): the
 * server is stopped in the middle of a migration and started again, and a role that needs a
 * password is refused with a wrong one. The shared server trusts every connection, so this is
 * where password authentication is really checked.
 */
class ServerRestartTest {
  private static final String SECRET = "wrong-S3cret-never-shown";
  private static Path dataDirectory;
  private static int port;
  private static EmbeddedPostgres server;

  @BeforeAll
  static void start() throws IOException {
    dataDirectory = Files.createTempDirectory("twostep-restart");
    server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
    port = server.getPort();
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String url() {
    return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
  }

  private static List<String> column(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void aServerRestartInTheMiddleOfAMigrationFailsClearlyAndTheRerunFinishes() throws Exception {
    execute("ALTER DATABASE postgres SET twostep_test.sleep = '60'");
    CompletableFuture<CommandLineRun> run = CompletableFuture.supplyAsync(
        () -> CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, "post", "--url", url()));
    RuntimeTestSupport.await("the migration sleeps between its statements", Duration.ofSeconds(30), () -> {
      try {
        return !column("SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(%'")
            .isEmpty();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });

    server.close();
    CommandLineRun failed = run.get(30, TimeUnit.SECONDS);
    server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port).start();

    assertThat(failed.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(failed.error()).startsWith("twostep: error: migration 1.0.0:pre #2 create half (release 1.0.0, phase pre, "
        + "step 2) failed at statement 3 of 4 (line 3 of its SQL): SQLSTATE 57P01: terminating connection due to "
        + "administrator command\n")
        .contains("The connection to the database was lost").doesNotContain("\tat ");
    assertThat(column("SELECT release || ':' || phase || '#' || step FROM twostep_history")).containsExactly("1.0.0:pre#1");
    assertThat(column("SELECT to_regclass('half')::text")).containsExactly((String) null);

    execute("ALTER DATABASE postgres SET twostep_test.sleep = '0'");
    CommandLineRun rerun = CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, "post", "--url", url());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(column("SELECT release || ':' || phase || '#' || step FROM twostep_history ORDER BY phase = 'post', step"))
        .containsExactly("1.0.0:pre#1", "1.0.0:pre#2", "1.0.0:post#1");
    assertThat(column("SELECT id::text FROM half ORDER BY id")).containsExactly("1", "2");
  }

  @Test
  void aWrongPasswordIsOneLineAndNeverEchoed() throws Exception {
    String hbaFile = column("SHOW hba_file").get(0);
    List<String> hba = new ArrayList<>(List.of(
        "local all twostep_pw md5", "host all twostep_pw 127.0.0.1/32 md5", "host all twostep_pw ::1/128 md5"));
    hba.addAll(Files.readAllLines(Path.of(hbaFile)));
    Files.write(Path.of(hbaFile), hba);
    execute("SELECT pg_reload_conf()");
    execute("DROP ROLE IF EXISTS twostep_pw");
    execute("CREATE ROLE twostep_pw LOGIN PASSWORD 'the-right-one'");
    String base = "jdbc:postgresql://localhost:" + port + "/postgres";

    CommandLineRun option = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
        "status", "--url", base, "--user", "twostep_pw", "--password", SECRET);
    CommandLineRun inUrl = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
        "status", "--url", base + "?user=twostep_pw&password=" + SECRET, "--verbose");
    CommandLineRun right = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
        "status", "--url", base, "--user", "twostep_pw", "--password", "the-right-one", "--schema", "nothing_here");

    assertThat(option.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(option.err()).isEqualTo("twostep: error: cannot connect to " + base
        + ": password authentication failed for user \"twostep_pw\" (SQLSTATE 28P01)\n");
    assertThat(inUrl.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(inUrl.err()).contains("password=****").contains("password authentication failed").doesNotContain(SECRET);
    assertThat(right.exitCode()).as(right.err()).isZero();
  }
}
