package dev.twostep.runtime.snapshot;

import dev.twostep.Rule;
import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.Waiver;
import dev.twostep.runtime.AppliedMigration;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import dev.twostep.runtime.internal.HistoryTable;
import dev.twostep.runtime.internal.Identifiers;
import dev.twostep.runtime.internal.InstanceTable;
import dev.twostep.runtime.internal.ConnectionSource;
import dev.twostep.runtime.internal.JdbcTarget;
import dev.twostep.runtime.internal.Redaction;
import dev.twostep.runtime.snapshot.RehearsalReport.LockUse;
import dev.twostep.runtime.snapshot.RehearsalReport.MigrationResult;
import dev.twostep.runtime.snapshot.RehearsalReport.PhaseResult;
import dev.twostep.runtime.snapshot.RehearsalReport.TableLock;
import dev.twostep.runtime.snapshot.RehearsalReport.Violation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rehearses a catalog's releases on scratch databases before they meet production, and proves
 * with {@link SchemaSnapshot}s what the compiler's SQL analysis cannot see (DO blocks, CASCADE,
 * Java migrations):
 *
 * <ol>
 *   <li>every pre-migration phase only expands: comparing S(N-1) with S_pre(N), nothing that code
 *       of release N-1 may use was removed or changed (see {@link SchemaDiff} for what counts);
 *   <li>applying the whole catalog to an empty database in one go gives the same schema as
 *       stepping through it release by release, phase by phase;
 *   <li>each migration's time and the locks its session held or waited for (sampled from a
 *       second connection) are reported, with the strongest lock it held on a table that existed
 *       before it (a transactional migration is seen holding every lock it took, just before it
 *       commits: see {@link LockProbe}) and the tables it rewrote (a new relfilenode).
 * </ol>
 *
 * <pre>{@code
 * RehearsalReport report = Rehearsal.builder()
 *     .catalog(new ShopMigrations())
 *     .server("jdbc:postgresql://localhost:5432/postgres", "postgres", password)
 *     .build()
 *     .run();
 * System.out.println(report.render());
 * if (!report.passed()) ...
 * }</pre>
 *
 * <p>The stepping uses {@link Twostep#migrate(Target, java.util.function.Consumer)} once per
 * (release, phase), exactly as a deploy would. Instances are immutable; {@link #run()} may be
 * called again and uses new scratch databases each time when given a {@link Builder#server}.
 */
public final class Rehearsal {
  private static final Logger LOG = LoggerFactory.getLogger(Rehearsal.class);


  private final MigrationCatalog catalog;
  private final String serverUrl;
  private final String user;
  private final String password;
  private final DataSource stepwise;
  private final DataSource whole;
  private final Duration lockSampleInterval;
  private final Release checkedFrom;
  private final boolean keepDatabases;
  private final String historySchema;
  private final String historyTable;
  private final Duration lockTimeout;

  private Rehearsal(Builder b) {
    this.catalog = b.catalog;
    this.serverUrl = b.serverUrl;
    this.user = b.user;
    this.password = b.password;
    this.stepwise = b.stepwise;
    this.whole = b.whole;
    this.lockSampleInterval = b.lockSampleInterval;
    this.checkedFrom = b.checkedFrom != null ? b.checkedFrom : b.catalog.checkedFrom().orElse(null);
    this.keepDatabases = b.keepDatabases;
    this.historySchema = b.historySchema;
    this.historyTable = b.historyTable;
    this.lockTimeout = b.lockTimeout;
  }

  /** A builder; give a catalog and either a server or two empty databases. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the rehearsal. Migration failures and violations are reported in the result, not thrown.
   *
   * @throws TwostepException when the scratch databases cannot be created or reached, or a given
   *     database is not empty
   */
  public RehearsalReport run() {
    if (serverUrl == null) {
      return rehearse(stepwise, whole);
    }
    String base = scratchName("twostep_rehearsal_");
    String stepwiseName = base + "_steps";
    String wholeName = base + "_whole";
    createDatabase(stepwiseName);
    List<String> created = new ArrayList<>(List.of(stepwiseName));
    try {
      createDatabase(wholeName);
      created.add(wholeName);
      return rehearse(dataSource(stepwiseName), dataSource(wholeName));
    } finally {
      dropDatabases(created);
    }
  }

  /**
   * Drops the scratch databases at once (dropping one of a large catalog's takes the server a
   * while, removing a file per table and index); throws the first failure, the others suppressed.
   */
  private void dropDatabases(List<String> names) {
    List<CompletableFuture<Void>> others = new ArrayList<>();
    for (String name : names.subList(1, names.size())) {
      others.add(CompletableFuture.runAsync(() -> dropDatabase(name)));
    }
    RuntimeException failure = null;
    try {
      dropDatabase(names.get(0));
    } catch (RuntimeException e) {
      failure = e;
    }
    for (CompletableFuture<Void> other : others) {
      try {
        other.join();
      } catch (CompletionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * The schema of the catalog applied up to {@code target} on an empty scratch database, created
   * on the {@link Builder#server} and dropped afterwards, without the history and instance
   * tables: the schema a database at {@code target} must have, for {@link Twostep#baseline}.
   *
   * @throws IllegalStateException when the rehearsal was given databases instead of a server
   * @throws TwostepException when the scratch database cannot be created, or a migration fails
   */
  public SchemaSnapshot schemaAt(Target target) {
    if (serverUrl == null) {
      throw new IllegalStateException("schemaAt needs a server(...) to create a scratch database on");
    }
    String name = scratchName("twostep_baseline_");
    createDatabase(name);
    try {
      DataSource scratch = dataSource(name);
      twostep(scratch).migrate(target);
      return snapshot(scratch);
    } finally {
      dropDatabase(name);
    }
  }

  /** The schema read on {@code connection}, without the history and instance tables. */
  SchemaSnapshot liveSchema(Connection connection) throws SQLException {
    return SchemaSnapshot.reader().ignoreTable(historySchema + "." + historyTable)
        .ignoreTable(new InstanceTable(new HistoryTable(historySchema, historyTable)).displayName()).read(connection);
  }

  /** {@code prefix} and ten random hex digits: tells concurrent rehearsals apart, guards nothing. */
  private static String scratchName(String prefix) {
    byte[] random = new byte[5];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(random);
    return prefix + HexFormat.of().formatHex(random);
  }

  private RehearsalReport rehearse(DataSource stepwise, DataSource whole) {
    long start = System.nanoTime();
    Twostep steps = twostep(stepwise);
    requireEmpty(steps, "stepwise");
    requireEmpty(twostep(whole), "whole");

    try (Observers observers = new Observers(stepwise, !lockSampleInterval.isZero())) {
      return rehearse(steps, whole, observers, start);
    } catch (SQLException e) {
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot open the rehearsal's observing connections: SQLSTATE "
          + e.getSQLState() + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }

  /**
   * The connections that watch the stepwise database, opened once for the whole rehearsal rather
   * than once per phase (a connection costs a server process start, and a catalog of 25
   * releases has 50 phases): the lock sampler's, the lock probe's and its observer's, and one
   * reading table files and schema snapshots. Each is left in autocommit between phases.
   */
  private static final class Observers implements AutoCloseable {
    final Connection sampler;
    final Connection probe;
    final Connection observer;
    final Connection files;

    Observers(DataSource database, boolean observeLocks) throws SQLException {
      List<Connection> opened = new ArrayList<>();
      try {
        sampler = observeLocks ? add(opened, database.getConnection()) : null;
        probe = observeLocks ? add(opened, database.getConnection()) : null;
        observer = observeLocks ? add(opened, database.getConnection()) : null;
        files = add(opened, database.getConnection());
      } catch (SQLException | RuntimeException e) {
        opened.forEach(ConnectionSource::closeQuietly);
        throw e;
      }
    }

    private static Connection add(List<Connection> opened, Connection c) {
      opened.add(c);
      return c;
    }

    @Override
    public void close() {
      ConnectionSource.closeQuietly(sampler, probe, observer, files);
    }
  }

  private RehearsalReport rehearse(Twostep steps, DataSource whole, Observers observers, long start) {
    List<PhaseResult> phases = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    List<Violation> waived = new ArrayList<>();
    SchemaSnapshot released = snapshot(observers.files); // S(N-1): the schema the previous release's code runs on
    SchemaState releasedState = SchemaState.EMPTY;
    SchemaSnapshot current = released;
    boolean failed = false;
    for (Map.Entry<SchemaState, List<Migration>> entry : phasesOf(catalog).entrySet()) {
      SchemaState state = entry.getKey();
      long phaseStart = System.nanoTime();
      PhaseRun run = applyPhase(steps, observers, state, entry.getValue());
      long phaseMs = (System.nanoTime() - phaseStart) / 1_000_000;
      if (run.failure != null) {
        phases.add(new PhaseResult(state, run.results, phaseMs, null));
        violations.add(new Violation(RehearsalReport.Kind.MIGRATION_FAILED, state, run.failure.getMessage(), List.of()));
        failed = true;
        break;
      }
      SchemaSnapshot after = snapshot(observers.files);
      phases.add(new PhaseResult(state, run.results, phaseMs, current.diff(after)));
      if (state.phase() == Phase.PRE && (checkedFrom == null || state.release().compareTo(checkedFrom) >= 0)) {
        List<SchemaDiff.Change> breaking = released.diff(after).breakingChanges();
        if (!breaking.isEmpty()) {
          String message = "pre-migrations of " + state.release() + " removed or changed what code of "
              + (releasedState.isEmpty() ? "the empty schema" : "release " + releasedState.release())
              + " may still use while " + state.release() + " deploys: move these changes to @PostMigration(release = \""
              + state.release() + "\"), or make them expand only";
          List<Waiver> waivers = entry.getValue().stream().flatMap(m -> m.waivers().stream())
              .filter(w -> w.rule().equals(Rule.PRE_CONTRACT.id())).toList();
          if (waivers.isEmpty()) {
            violations.add(new Violation(RehearsalReport.Kind.PRE_CONTRACT, state, message, breaking));
          } else {
            waived.add(new Violation(RehearsalReport.Kind.PRE_CONTRACT, state, message + " (waived: "
                + waivers.stream().map(Waiver::reason).collect(Collectors.joining("; ")) + ")", breaking));
          }
        }
      }
      current = after;
      if (state.phase() == Phase.POST || !hasPost(state.release())) {
        released = after;
        releasedState = state;
      }
    }

    SchemaDiff wholeVsStepwise = null;
    if (!failed) {
      try {
        twostep(whole).migrate(Target.newest(Phase.POST));
        wholeVsStepwise = current.diff(snapshot(whole));
        if (!wholeVsStepwise.isEmpty()) {
          violations.add(new Violation(RehearsalReport.Kind.WHOLE_VS_STEPWISE, phases.get(phases.size() - 1).state(),
              "applying the whole catalog to an empty database in one go gives another schema than applying it release by"
                  + " release; look for migrations that depend on session state"
                  + " (SET without LOCAL, temporary tables) or on what ran before them in the same run",
              wholeVsStepwise.mainChanges()));
        }
      } catch (TwostepException e) {
        violations.add(new Violation(RehearsalReport.Kind.MIGRATION_FAILED, SchemaState.EMPTY,
            "applying the whole catalog in one go failed, although step by step it succeeded: " + e.getMessage(), List.of()));
      }
    }
    return new RehearsalReport(catalog.name(), phases, violations, waived, wholeVsStepwise,
        lockSampleInterval.toMillis(), (System.nanoTime() - start) / 1_000_000);
  }

  private boolean hasPost(Release release) {
    return catalog.migrations().stream().anyMatch(m -> m.release().equals(release) && m.phase() == Phase.POST);
  }

  private static Map<SchemaState, List<Migration>> phasesOf(MigrationCatalog catalog) {
    List<Migration> sorted = new ArrayList<>(catalog.migrations());
    sorted.sort(Migration::compareOrder);
    Map<SchemaState, List<Migration>> phases = new LinkedHashMap<>();
    for (Migration m : sorted) {
      phases.computeIfAbsent(SchemaState.of(m.release(), m.phase()), k -> new ArrayList<>()).add(m);
    }
    return phases;
  }

  /** The outcome of applying one phase. */
  private static final class PhaseRun {
    final List<MigrationResult> results = new ArrayList<>();
    TwostepException failure;
  }

  private PhaseRun applyPhase(Twostep steps, Observers observers, SchemaState state, List<Migration> migrations) {
    PhaseRun run = new PhaseRun();
    List<AppliedMigration> applied = new ArrayList<>();
    List<Long> finished = new ArrayList<>();
    List<Long> resumed = new ArrayList<>();
    List<Map<Long, TableFile>> tablesBefore = new ArrayList<>();
    List<LockProbe.Capture> captures = new ArrayList<>();
    List<LockSampler.Sample> samples = List.of();
    Target target = Target.of(state.release(), state.phase());
    try {
      LockSampler sampler = observers.sampler == null ? null
          : new LockSampler(observers.sampler, lockSampleInterval, historySchema, historyTable);
      LockProbe probe = observers.probe == null ? null
          : LockProbe.on(observers.probe, observers.observer, historySchema, historyTable);
      tablesBefore.add(tableFiles(observers.files));
      if (sampler != null) {
        sampler.start();
      }
      if (probe != null) {
        probe.start();
      }
      try {
        steps.migrate(target, done -> {
          finished.add(System.nanoTime());
          applied.add(done);
          captures.add(probe == null ? null : probe.next());
          tablesBefore.add(tableFiles(observers.files));
          resumed.add(System.nanoTime()); // the next migration starts after this returns
        });
      } catch (TwostepException e) {
        run.failure = e;
      } finally {
        if (sampler != null) {
          samples = sampler.stop();
          if (sampler.failure() != null) {
            LOG.warn("lock sampling stopped early during {}: {}", state, sampler.failure().getMessage());
          }
        }
        if (probe != null) {
          probe.stop();
          if (probe.failure() != null) {
            LOG.warn("lock probing stopped early during {}: {}", state, probe.failure().getMessage());
          }
        }
      }
    } catch (SQLException e) {
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot start observing the locks of " + state + ": " + e.getMessage(), e.getSQLState(), e);
    }
    List<List<LockSampler.Sample>> perMigration = perMigration(samples, finished, resumed);
    for (int i = 0; i < applied.size(); i++) {
      AppliedMigration a = applied.get(i);
      Map<Long, TableFile> before = tablesBefore.get(i);
      run.results.add(new MigrationResult(a.migration(), a.executionMs(), a.attempts(), lockUses(perMigration.get(i)),
          strongestLock(before, captures.get(i), perMigration.get(i)), rewritten(before, tablesBefore.get(i + 1))));
    }
    if (run.failure != null && applied.size() < migrations.size()) {
      run.results.add(new MigrationResult(migrations.get(applied.size()), -1, 0, lockUses(perMigration.get(applied.size()))));
    }
    return run;
  }

  /**
   * The samples of each migration (and, last, of the one that failed, if any). The server read
   * {@code pg_locks} at some moment of a sample's query, so a sample belongs to migration i only
   * when its whole query ran while i could run: sent after migration i-1's progress callback
   * returned, answered before i finished. A query that spans the end of one migration and the
   * start of the next may show either's locks, so it is left out: on a loaded machine the
   * answer of a query sent during one migration can show the locks of the next.
   */
  static List<List<LockSampler.Sample>> perMigration(List<LockSampler.Sample> samples, List<Long> finished,
      List<Long> resumed) {
    List<List<LockSampler.Sample>> perMigration = new ArrayList<>();
    for (int i = 0; i <= finished.size(); i++) {
      perMigration.add(new ArrayList<>());
    }
    for (LockSampler.Sample sample : samples) {
      int index = 0;
      while (index < finished.size() && finished.get(index) < sample.endNanos()) {
        index++;
      }
      if (index == 0 || (index - 1 < resumed.size() && sample.nanos() >= resumed.get(index - 1))) {
        perMigration.get(index).add(sample);
      }
    }
    return perMigration;
  }

  /** A table's name and the file its rows live in. */
  private record TableFile(String name, long relfilenode) {}

  /** Every user table by oid, the history table left out. */
  private Map<Long, TableFile> tableFiles(Connection connection) {
    Map<Long, TableFile> out = new LinkedHashMap<>();
    try (java.sql.PreparedStatement s = connection.prepareStatement(
        "SELECT c.oid, n.nspname || '.' || c.relname, c.relfilenode FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg\\_toast%' AND NOT (n.nspname = ? AND c.relname = ?)")) {
      s.setString(1, historySchema);
      s.setString(2, historyTable);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), new TableFile(rs.getString(2), rs.getLong(3)));
        }
      }
    } catch (SQLException e) {
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot read the tables of a rehearsal database: SQLSTATE " + e.getSQLState() + ": "
          + e.getMessage(), e.getSQLState(), e);
    }
    return out;
  }

  /** The tables of {@code before} that have another file in {@code after}, sorted. */
  private static List<String> rewritten(Map<Long, TableFile> before, Map<Long, TableFile> after) {
    List<String> out = new ArrayList<>();
    before.forEach((oid, file) -> {
      TableFile now = after.get(oid);
      if (now != null && now.relfilenode() != file.relfilenode()) {
        out.add(file.name());
      }
    });
    out.sort(null);
    return out;
  }

  /** The strongest lock the probe or the sampler saw on a table of {@code before}; {@code null} when none. */
  private static TableLock strongestLock(Map<Long, TableFile> before, LockProbe.Capture capture, List<LockSampler.Sample> samples) {
    TableLock strongest = null;
    if (capture != null) {
      for (Map.Entry<Long, String> held : capture.strongest().entrySet()) {
        TableFile table = before.get(held.getKey());
        if (table != null) {
          strongest = stronger(strongest, new TableLock(table.name(), held.getValue()));
        }
      }
    }
    java.util.Set<String> names = before.values().stream().map(TableFile::name).collect(Collectors.toSet());
    for (LockSampler.Sample sample : samples) {
      if (sample.granted() && names.contains(sample.relation())) {
        strongest = stronger(strongest, new TableLock(sample.relation(), sample.mode()));
      }
    }
    return strongest;
  }

  private static TableLock stronger(TableLock a, TableLock b) {
    if (a == null) {
      return b;
    }
    int byMode = Integer.compare(LockProbe.MODES.indexOf(b.mode()), LockProbe.MODES.indexOf(a.mode()));
    return byMode > 0 || byMode == 0 && b.table().compareTo(a.table()) < 0 ? b : a;
  }

  private static List<LockUse> lockUses(List<LockSampler.Sample> samples) {
    Map<List<String>, int[]> counts = new LinkedHashMap<>();
    Map<List<String>, boolean[]> waited = new LinkedHashMap<>();
    Map<List<String>, String> kinds = new LinkedHashMap<>();
    for (LockSampler.Sample s : samples) {
      List<String> key = List.of(s.relation(), s.mode());
      counts.computeIfAbsent(key, k -> new int[1])[0]++;
      waited.computeIfAbsent(key, k -> new boolean[1])[0] |= !s.granted();
      kinds.put(key, s.relationKind());
    }
    List<LockUse> uses = new ArrayList<>();
    for (Map.Entry<List<String>, int[]> e : counts.entrySet()) {
      List<String> key = e.getKey();
      uses.add(new LockUse(key.get(0), kinds.get(key), key.get(1), waited.get(key)[0], e.getValue()[0]));
    }
    uses.sort(Comparator.comparing(LockUse::blocksReads).thenComparing(LockUse::blocksWrites).reversed()
        .thenComparing(LockUse::relation).thenComparing(LockUse::mode));
    return uses;
  }

  private Twostep twostep(DataSource database) {
    return Twostep.builder().dataSource(database).catalog(catalog).schema(historySchema).table(historyTable)
        .lockTimeout(lockTimeout).build();
  }

  private static void requireEmpty(Twostep twostep, String which) {
    SchemaState state = twostep.status().state();
    if (!state.isEmpty()) {
      throw new TwostepException(Reason.INVALID_REQUEST, "the " + which + " database of the rehearsal must be empty, but its history is at " + state);
    }
  }

  private SchemaSnapshot snapshot(DataSource database) {
    try (Connection c = database.getConnection()) {
      return snapshot(c);
    } catch (SQLException e) {
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot read the schema of a rehearsal database: SQLSTATE " + e.getSQLState() + ": "
          + e.getMessage(), e.getSQLState(), e);
    }
  }

  private SchemaSnapshot snapshot(Connection c) {
    try {
      return liveSchema(c);
    } catch (SQLException e) {
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot read the schema of a rehearsal database: SQLSTATE " + e.getSQLState() + ": "
          + e.getMessage(), e.getSQLState(), e);
    }
  }

  private DataSource dataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(JdbcTarget.withDatabase(serverUrl, database));
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setApplicationName("twostep-rehearsal");
    return ds;
  }

  private void createDatabase(String name) {
    admin("CREATE DATABASE " + Identifiers.quote(name));
  }

  private void dropDatabase(String name) {
    if (keepDatabases) {
      LOG.info("keeping rehearsal database {}", name);
      return;
    }
    try {
      admin("DROP DATABASE IF EXISTS " + Identifiers.quote(name) + " WITH (FORCE)");
    } catch (TwostepException e) {
      LOG.warn("could not drop rehearsal database {}: {}", name, e.getMessage());
    }
  }

  private void admin(String sql) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(serverUrl);
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setApplicationName("twostep-rehearsal");
    try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      String message = Redaction.mask(e.getMessage() == null ? "" : e.getMessage(), password);
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "rehearsal: " + sql + " failed: SQLSTATE " + e.getSQLState() + ": " + message,
          e.getSQLState(), null);
    }
  }

  /** Configures a {@link Rehearsal}. Not thread-safe; {@link #build()} copies everything. */
  public static final class Builder {
    private MigrationCatalog catalog;
    private String serverUrl;
    private String user;
    private String password;
    private DataSource stepwise;
    private DataSource whole;
    private Duration lockSampleInterval = Duration.ofMillis(10);
    private Release checkedFrom;
    private boolean keepDatabases;
    private String historySchema = "public";
    private String historyTable = "twostep_history";
    private Duration lockTimeout = Duration.ofSeconds(2);

    private Builder() {}

    /**
     * The history table the rehearsal's deploys write, as with {@code --schema}/{@code --table}
     * ({@code public.twostep_history} by default); it is left out of the schema comparison.
     */
    public Builder historyTable(String schema, String table) {
      this.historySchema = Objects.requireNonNull(schema, "schema");
      this.historyTable = Objects.requireNonNull(table, "table");
      return this;
    }

    /** The {@code lock_timeout} of each migration attempt, as with {@code --lock-timeout} (2 s by default). */
    public Builder lockTimeout(Duration lockTimeout) {
      this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
      return this;
    }

    /** The catalog to rehearse (required). */
    public Builder catalog(MigrationCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * The server to rehearse on: {@code url} names a database to connect to for
     * {@code CREATE DATABASE} (e.g. {@code jdbc:postgresql://localhost:5432/postgres}); each
     * {@link #run()} creates two scratch databases {@code twostep_rehearsal_<random>_steps} and
     * {@code _whole} and drops them afterwards. {@code user} and {@code password} may be null when
     * the URL carries them. The scratch databases' URLs are {@code url} with another database:
     * its hosts (several for failover) and parameters are kept. Replaces {@link #databases}.
     *
     * @throws IllegalArgumentException when {@code url} is no {@code jdbc:postgresql:} URL naming a
     *     database (the message masks its password)
     */
    public Builder server(String url, String user, String password) {
      JdbcTarget.parse(Objects.requireNonNull(url, "url"));
      this.serverUrl = url;
      this.user = user;
      this.password = password;
      this.stepwise = null;
      this.whole = null;
      return this;
    }

    /**
     * Two empty databases to rehearse on, which the caller creates and drops: {@code stepwise} is
     * migrated release by release, {@code whole} in one go. Replaces {@link #server}.
     */
    public Builder databases(DataSource stepwise, DataSource whole) {
      this.stepwise = Objects.requireNonNull(stepwise, "stepwise");
      this.whole = Objects.requireNonNull(whole, "whole");
      this.serverUrl = null;
      return this;
    }

    /**
     * How often the locks of migrating sessions are sampled, 10 ms by default;
     * {@link Duration#ZERO} turns lock observation off (the sampling, and the probe that sees every
     * lock a transactional migration held); rewritten tables are reported either way.
     */
    public Builder lockSampleInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("lock sample interval must not be negative");
      }
      this.lockSampleInterval = interval;
      return this;
    }

    /**
     * Checks pre-migrations only from {@code release} on, like {@code @MigrationSet(checkedFrom)}:
     * earlier releases are the project's history from before it adopted Twostep. Defaults to the
     * catalog's {@link MigrationCatalog#checkedFrom()}, which the processor records.
     *
     * @throws IllegalArgumentException when {@code release} is not a release number
     */
    public Builder checkedFrom(String release) {
      this.checkedFrom = Release.parse(Objects.requireNonNull(release, "release"));
      return this;
    }

    /** Leaves the scratch databases of {@link #server} in place for inspection. Off by default. */
    public Builder keepDatabases(boolean keep) {
      this.keepDatabases = keep;
      return this;
    }

    /**
     * Builds the rehearsal. Opens no connection.
     *
     * @throws IllegalStateException when the catalog, or both server and databases, are missing
     */
    public Rehearsal build() {
      if (catalog == null) {
        throw new IllegalStateException("no catalog: call catalog(...)");
      }
      if (serverUrl == null && stepwise == null) {
        throw new IllegalStateException("no database: call server(url, user, password) or databases(stepwise, whole)");
      }
      return new Rehearsal(this);
    }
  }
}
