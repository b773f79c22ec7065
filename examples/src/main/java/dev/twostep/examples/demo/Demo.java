package dev.twostep.examples.demo;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.examples.shop.app.JobQueue;
import dev.twostep.examples.shop.app.Release1JobQueue;
import dev.twostep.examples.shop.app.Release2JobQueue;
import dev.twostep.examples.shop.app.Release3JobQueue;
import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.runtime.AppliedMigration;
import dev.twostep.runtime.CheckResult;
import dev.twostep.runtime.DeployRefusedException;
import dev.twostep.runtime.InstanceRegistration;
import dev.twostep.runtime.LiveInstance;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Walks a blue-green deploy of the Shop example, release by release: {@code pre}, deploy the new
 * code while the old code still runs, {@code post}. At every schema state it asks Twostep which
 * releases' code may run ({@code check}) and proves the answer by running each release's real code
 * against the database. Each release's code registers a live instance when it is deployed, and the
 * deploy guard holds post(N) back until the instance of release N-1 is switched off. Ends with the
 * compatibility matrix.
 *
 * <p>{@code mvn -q -Pdemo verify -DskipTests} from the repository root runs it on an embedded
 * PostgreSQL; {@code --url jdbc:postgresql://host/db --user u} (or {@code TWOSTEP_URL}) runs it in a
 * fresh database {@code twostep_demo} on that server instead. Exit code 0 when every answer held.
 */
public final class Demo {
  private static final List<String> RELEASES = List.of("1.0.0", "2.0.0", "3.0.0");

  private final PrintStream out;
  private final DataSource dataSource;
  private final Twostep twostep;
  private final Map<String, Function<DataSource, JobQueue>> code = new LinkedHashMap<>();
  private final List<String[]> matrix = new ArrayList<>();
  private int surprises;
  private int migrations;
  private long migrationMs;

  Demo(PrintStream out, DataSource dataSource) {
    this.out = out;
    this.dataSource = dataSource;
    this.twostep = Twostep.builder().dataSource(dataSource).catalog(new ShopMigrations()).build();
    code.put("1.0.0", Release1JobQueue::new);
    code.put("2.0.0", Release2JobQueue::new);
    code.put("3.0.0", Release3JobQueue::new);
  }

  /** Runs the demo; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    DemoDatabase database = DemoDatabase.open(args, System.out);
    int status;
    try {
      status = new Demo(System.out, database.dataSource()).run();
    } finally {
      database.close();
    }
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs every release and prints the matrix; returns 0 when every check matched reality. */
  int run() throws SQLException {
    ShopMigrations catalog = new ShopMigrations();
    out.printf("Twostep demo: the %s job queue, %d migrations in %d releases, deployed blue-green.%n",
        catalog.name(), catalog.migrations().size(), RELEASES.size());
    out.println("At each schema state Twostep's check() says which releases' code may run, and the");
    out.println("demo runs every release's real code (enqueue, fetch, finish a job) to show it is right.");
    observe("empty");
    InstanceRegistration previous = null;
    for (int i = 0; i < RELEASES.size(); i++) {
      String release = RELEASES.get(i);
      out.println();
      out.printf("== release %s %s%n", release, "=".repeat(60));
      step("pre", release, Phase.PRE, i == 0
          ? "the first release: no code runs yet"
          : "runs while code " + RELEASES.get(i - 1) + " still serves");
      out.printf("  deploy  code %s goes live next to the old code (registerInstance(\"%s\"))%n", release, release);
      InstanceRegistration current = twostep.registerInstance(release);
      if (previous != null) {
        holdsPostBack(release, previous);
        previous.close();
        out.printf("  stop    the instance of code %s is switched off: Twostep.instances() now lists %s%n",
            previous.release(), twostep.instances().stream().map(LiveInstance::release).toList());
      }
      previous = current;
      step("post", release, Phase.POST, "runs once only code " + release + " is left");
    }
    previous.close();
    out.println();
    printMatrix();
    out.println();
    out.printf("%d migrations applied in %d ms in all. Status now: %s.%n", migrations, migrationMs, twostep.status().state());
    if (surprises > 0) {
      out.printf("%d checks disagreed with what the code actually did: see above.%n", surprises);
      return 1;
    }
    out.println("Every check() answer matched what the code of that release actually did.");
    return 0;
  }

  private void step(String command, String release, Phase phase, String why) throws SQLException {
    out.printf("  %-6s  %s %s: %s%n", command, release, phase.label(), why);
    MigrateResult result = twostep.migrate(Target.of(release, phase), this::printApplied);
    if (result.applied().isEmpty()) {
      out.println("            (no migrations in this phase)");
    }
    observe(result.after().toString());
  }

  /** post(N) while an instance of N-1 is live: the deploy guard must refuse and name it. */
  private void holdsPostBack(String release, InstanceRegistration old) {
    try {
      twostep.migrate(Target.of(release, Phase.POST));
      surprises++;
      out.printf("  !! post %s ran although an instance of %s was live%n", release, old.release());
    } catch (DeployRefusedException e) {
      for (LiveInstance i : e.liveInstances()) {
        out.printf("  post    refused by the deploy guard: instance of %s on %s pid %d is live (the command line exits with 4)%n",
            i.release(), i.host(), i.pid());
      }
    }
  }

  private void printApplied(AppliedMigration applied) {
    Migration m = applied.migration();
    migrations++;
    migrationMs += applied.executionMs();
    String kind = m.isJava() ? "java" : m.transactional() ? "sql" : "sql, no transaction";
    out.printf("            #%d %-38s %-22s %5d ms%n", m.step(), m.description(), "(" + kind + ")", applied.executionMs());
  }

  /** Asks check() for every release at the current state and runs each release's code to confirm. */
  private void observe(String state) throws SQLException {
    String[] row = new String[RELEASES.size() + 1];
    row[0] = state;
    StringBuilder line = new StringBuilder();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < RELEASES.size(); i++) {
      String release = RELEASES.get(i);
      CheckResult check = twostep.check(release);
      String actual = run(release);
      boolean works = actual == null;
      if (works != check.compatible()) {
        surprises++;
        out.printf("  !! check(%s) said %s at %s, but the code %s%n", release, check.compatible() ? "yes" : "no", state,
            works ? "works" : "fails: " + actual);
      }
      row[i + 1] = check.compatible() ? "runs" : "-";
      // after post(N), show what code N-1 would meet had it not been switched off
      if (!works && !check.compatible() && i + 1 < RELEASES.size() && state.startsWith(RELEASES.get(i + 1) + ":post")) {
        failures.add("code " + release + " is refused here, and rightly: " + actual);
      }
      if (check.compatible()) {
        line.append(line.length() == 0 ? "" : ", ").append(release);
      }
    }
    if (matrix.isEmpty() || !matrix.get(matrix.size() - 1)[0].equals(state)) {
      matrix.add(row);
    }
    out.printf("  state   %-11s code that may run: %s%n", state, line.length() == 0 ? "none" : line);
    for (String failure : failures) {
      out.printf("            %s%n", failure);
    }
  }

  /** Runs one round trip of {@code release}'s code; {@code null} when it worked, else why it failed. */
  private String run(String release) {
    try {
      code.get(release).apply(dataSource).exercise("urgent");
      return null;
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      return message + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }
  }

  private void printMatrix() {
    out.println("Compatibility matrix: which release's code may run at each schema state");
    out.println("(from check(), each answer confirmed by running that release's code):");
    StringBuilder header = new StringBuilder(String.format("  %-13s", "state \\ code"));
    for (String release : RELEASES) {
      header.append(String.format("  %-6s", release));
    }
    if (header.length() > 0) {
      header.setLength(header.toString().stripTrailing().length());
    }
    out.println(header);
    for (String[] row : matrix) {
      StringBuilder line = new StringBuilder(String.format("  %-13s", row[0]));
      for (int i = 1; i < row.length; i++) {
        line.append(String.format("  %-6s", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.println("pre(N) keeps code N-1 running: that is what makes the deploy zero-downtime.");
  }
}
