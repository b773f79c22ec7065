package dev.twostep.runtime;

import dev.twostep.runtime.TwostepException.Reason;
import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.runtime.internal.AdvisoryLock;
import dev.twostep.runtime.internal.AppliedSteps;
import dev.twostep.runtime.internal.BlockerWatch;
import dev.twostep.runtime.internal.CatalogHistory;
import dev.twostep.runtime.internal.CatalogIndex;
import dev.twostep.runtime.internal.CompatibilityCheck;
import dev.twostep.runtime.internal.ConnectionSource;
import dev.twostep.runtime.internal.DeployGuard;
import dev.twostep.runtime.internal.HistoryTable;
import dev.twostep.runtime.internal.InstanceRegistry;
import dev.twostep.runtime.internal.InstanceTable;
import dev.twostep.runtime.internal.MigrationExecutor;
import dev.twostep.runtime.internal.Printable;
import dev.twostep.runtime.internal.SchemaProof;
import dev.twostep.runtime.internal.SessionSemantics;
import dev.twostep.runtime.internal.ShippedNextRows;
import dev.twostep.runtime.internal.SqlFailures;
import dev.twostep.runtime.internal.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link MigrationCatalog} to a PostgreSQL database, for deploy scripts, application
 * start-up checks and tests. Build one with {@link #builder()}; an instance is immutable and
 * thread-safe, and holds no connection between calls.
 *
 * <pre>{@code
 * Twostep twostep = Twostep.builder().dataSource(dataSource).catalog(new ShopMigrations()).build();
 * twostep.migrate(Target.parse("pre"));          // before deploying the new code
 * if (!twostep.check("2.0.0").compatible()) ...  // at application start-up
 * }</pre>
 *
 * <p>Every operation throws {@link TwostepException} when the database cannot be reached or a
 * migration or safety rule fails; its message is meant for people and never holds a password.
 */
public final class Twostep {
  private static final Logger LOG = LoggerFactory.getLogger(Twostep.class);

  private final ConnectionSource source;
  private final MigrationCatalog catalog;
  private final CatalogIndex catalogIndex;
  private final HistoryTable historyTable;
  private final Duration lockTimeout;
  private final RetryPolicy retryPolicy;
  private final Duration deployerLockWait;
  private final Duration deployerLockCheck;
  private final boolean allowDowntime;
  private final InstanceTable instanceTable;
  private final DeployGuard deployGuard;
  private final MigrationListener listener;

  private Twostep(Builder b, ConnectionSource source, MigrationCatalog catalog) {
    this.source = source;
    this.catalog = catalog;
    this.catalogIndex = new CatalogIndex(catalog);
    this.historyTable = new HistoryTable(b.schema, b.table);
    this.lockTimeout = b.lockTimeout;
    this.retryPolicy = b.retryPolicy;
    this.deployerLockWait = b.deployerLockWait;
    this.deployerLockCheck = b.deployerLockCheck;
    this.allowDowntime = b.allowDowntime;
    this.instanceTable = new InstanceTable(historyTable);
    this.deployGuard = new DeployGuard(historyTable, instanceTable, b.allowDowntime, b.waitForInstances, b.instancePollInterval,
        b.instanceWaitProgress);
    this.listener = b.listener;
  }

  /** A builder with the defaults: schema {@code public}, table {@code twostep_history}, lock timeout 2 s. */
  public static Builder builder() {
    return new Builder();
  }

  /** The catalog this instance applies. */
  public MigrationCatalog catalog() {
    return catalog;
  }

  /** The history table as {@code schema.table}. */
  public String historyTable() {
    return historyTable.displayName();
  }

  /**
   * The schema state, and every migration and history row with its state. Changes nothing; a
   * missing history table reads as an empty history.
   *
   * @throws TwostepException when the database cannot be read
   */
  public StatusReport status() {
    CatalogHistory history = read();
    return new StatusReport(catalog.name(), catalog.newestRelease().text(), historyTable.displayName(),
        history.state(), history.entries());
  }

  /**
   * What {@link #migrate(Target)} would apply, in order, or why it would refuse. Changes nothing.
   *
   * @throws TwostepException when the target's release is not in the catalog or the database
   *     cannot be read
   */
  public Plan plan(Target target) {
    SchemaState goal = target.resolve(catalog);
    try (Connection connection = source.open()) {
      CatalogHistory history = new CatalogHistory(catalogIndex, historyTable.read(connection));
      List<Migration> pending = history.pending(goal);
      Optional<String> refusal = history.refusal(goal, allowDowntime);
      if (refusal.isEmpty()) {
        refusal = deployGuard.missingPreRun(connection, history, pending, goal);
      }
      return refusal.isPresent() ? Plan.refused(history.state(), goal, pending, refusal.get())
          : Plan.of(history.state(), goal, pending);
    } catch (SQLException e) {
      throw databaseFailure(e);
    }
  }

  /**
   * Applies every pending migration up to and including {@code target}, in order, holding the
   * deployer lock. Each migration is applied completely or not at all (non-transactional ones:
   * recorded only after they succeeded); migrations applied before a failure stay applied.
   *
   * <p>The deploy guard: post of release N runs only when pre of N was applied by an earlier run
   * and no instance of an older release is live ({@link #registerInstance}); it waits for such
   * instances up to {@link Builder#waitForInstances}. A database without history is exempt.
   *
   * @throws DeployRefusedException when the deploy guard refuses (unless {@link Builder#allowDowntime})
   * @throws TwostepException when a migration fails, an applied migration's checksum changed,
   *     {@code target} is a pre target that would apply post-migrations of older releases on a
   *     database with history (unless {@link Builder#allowDowntime}), or the deployer lock could
   *     not be taken in time
   */
  public MigrateResult migrate(Target target) {
    return migrate(target, applied -> { });
  }

  /**
   * Like {@link #migrate(Target)}, telling {@code progress} about each migration once it is
   * applied.
   *
   * @throws TwostepException as {@link #migrate(Target)}
   */
  public MigrateResult migrate(Target target, Consumer<AppliedMigration> progress) {
    SchemaState goal = target.resolve(catalog);
    long started = System.nanoTime();
    return underDeployerLock((connection, lock) -> {
      List<String> notes = ShippedNextRows.rekey(connection, historyTable, catalogIndex).stream()
          .map(ShippedNextRows.Rekey::note).peek(note -> LOG.info("{}", note)).toList();
      CatalogHistory history = new CatalogHistory(catalogIndex, historyTable.read(connection));
      Optional<String> refusal = history.refusal(goal, allowDowntime);
      if (refusal.isPresent()) {
        throw new TwostepException(Reason.REFUSED, "refusing to migrate to " + target + ": " + refusal.get());
      }
      List<Migration> pending = history.pending(goal);
      if (pending.isEmpty()) {
        LOG.info("Nothing to apply: {} is at {} (target {})", historyTable.displayName(), history.state(), goal);
        return new MigrateResult(history.state(), history.state(), List.of(), notes);
      }
      HistoryTable.Run run = deployGuard.admit(connection, history, pending, goal,
          allowDowntime && history.refusal(goal, false).isPresent());
      listener.runStarting(history.state(), goal, pending);
      List<AppliedMigration> applied = new ArrayList<>();
      Duration interval = Duration.ofMillis(Math.max(20, Math.min(500, lockTimeout.toMillis() / 4)));
      try (BlockerWatch watch = new BlockerWatch(source, interval)) {
        MigrationExecutor executor =
            new MigrationExecutor(historyTable.forRun(run), lockTimeout, retryPolicy, watch, listener);
        try {
          for (Migration migration : pending) {
            lock.verifyHeld();
            AppliedMigration done = executor.apply(connection, migration);
            applied.add(done);
            progress.accept(done);
          }
        } finally {
          executor.restoreSession(connection);
        }
      }
      SchemaState after = new CatalogHistory(catalogIndex, historyTable.read(connection)).state();
      MigrateResult result = new MigrateResult(history.state(), after, applied, notes);
      listener.runFinished(result, Duration.ofNanos(System.nanoTime() - started));
      return result;
    });
  }

  /**
   * Compares the history with the catalog: every applied migration's checksum must equal the
   * catalog's, and every history row must be known to the catalog; a database with tables but
   * no history is not OK either ({@link Drift.Kind#NO_HISTORY}). Changes nothing.
   *
   * @throws TwostepException when the database cannot be read
   */
  public VerifyReport verify() {
    try (Connection connection = source.open()) {
      CatalogHistory history = new CatalogHistory(catalogIndex, historyTable.read(connection));
      List<Drift> drift = new ArrayList<>(history.drift());
      long tables = history.hasHistory() ? 0 : historyTable.userTables(connection, instanceTable.displayName());
      if (tables > 0) {
        drift.add(new Drift(historyTable.displayName(), Drift.Kind.NO_HISTORY, "this database has " + tables
            + (tables == 1 ? " table" : " tables") + " but no Twostep history in " + historyTable.displayName()
            + ": it was built without Twostep. Baseline it (baseline --release R, R the release whose schema it has),"
            + " or name its history table with --schema/--table."));
      }
      return new VerifyReport(history.matching(), drift);
    } catch (SQLException e) {
      throw databaseFailure(e);
    }
  }

  /**
   * Whether code of {@code release} may run on the database's current schema: on S_pre(N), S(N)
   * and S_pre(N+1), N+1 being the next release of the catalog or the history. For an application
   * to call at start-up. Changes nothing.
   *
   * @param release the release of the running code, e.g. {@code "2.0.0"}
   * @throws TwostepException when {@code release} is not a release number or the database cannot
   *     be read
   */
  public CheckResult check(String release) {
    return check(parseRelease(release));
  }

  /**
   * Whether code of {@code release} may run on the database's current schema; see
   * {@link #check(String)}.
   *
   * @throws TwostepException when the database cannot be read
   */
  public CheckResult check(Release release) {
    Release parsed = Objects.requireNonNull(release, "release");
    AppliedSteps applied;
    try (Connection connection = source.open()) {
      applied = historyTable.readApplied(connection, catalogIndex);
    } catch (SQLException e) {
      throw databaseFailure(e);
    }
    return CompatibilityCheck.check(applied.position(catalogIndex), parsed);
  }

  /**
   * Adopts a database that already has the schema of {@code release}; see {@link #baseline(Release)}.
   *
   * @param release the release whose schema the database has, e.g. {@code "2.0.0"}
   * @throws TwostepException when {@code release} is not a release number, or as
   *     {@link #baseline(Release)}
   */
  public BaselineResult baseline(String release) {
    return baseline(parseRelease(release), false);
  }

  /**
   * Like {@link #baseline(String)}, with {@code trustSchema} as in {@link #baseline(Release, boolean)}.
   *
   * @throws TwostepException when {@code release} is not a release number, or as
   *     {@link #baseline(Release)}
   */
  public BaselineResult baseline(String release, boolean trustSchema) {
    return baseline(parseRelease(release), trustSchema);
  }

  /**
   * Adopts a database that already has the schema of {@code release}: proves it, then records
   * every migration up to and including post of {@code release} as applied, without running them.
   * The proof compares the database's schema with the catalog applied up to {@code release}:post
   * on an empty scratch database that it creates (and drops) on the same server, which needs a
   * URL-configured {@link Builder#url} (or the PostgreSQL driver's own DataSource) and a role that
   * may {@code CREATE DATABASE}.
   *
   * @throws TwostepException when the database already has history, the catalog has no such
   *     release, or the schema differs from {@code release}'s (the message lists the differences)
   */
  public BaselineResult baseline(Release release) {
    return baseline(release, false);
  }

  /**
   * Like {@link #baseline(Release)}; with {@code trustSchema} it skips the proof and records the
   * migrations on the caller's word, which the history keeps ({@code run_target} of the rows ends
   * with {@code trust-schema}).
   *
   * @throws TwostepException as {@link #baseline(Release)}
   */
  public BaselineResult baseline(Release release, boolean trustSchema) {
    SchemaState goal = Target.of(release, Phase.POST).resolve(catalog);
    return underDeployerLock((connection, lock) -> {
      CatalogHistory history = new CatalogHistory(catalogIndex, historyTable.read(connection));
      if (history.hasHistory()) {
        throw new TwostepException(Reason.REFUSED, "refusing to baseline " + historyTable.displayName() + ": it already has history (state "
            + history.state() + "). Baseline is for a database that never ran Twostep.");
      }
      if (!trustSchema) {
        proveSchema(connection, goal);
      }
      List<Migration> recorded = history.pending(goal);
      HistoryTable baselineRun = historyTable.forRun(HistoryTable.Run.start("baseline " + goal
          + (trustSchema ? " trust-schema" : ""), HistoryTable.Exemption.NONE));
      Transactions.inTransaction(connection, () -> {
        for (Migration migration : recorded) {
          baselineRun.insert(connection, migration, 0, true);
        }
        return null;
      });
      LOG.info("Baselined {} at {}: recorded {} migrations as applied without running them",
          historyTable.displayName(), goal, recorded.size());
      return new BaselineResult(new CatalogHistory(catalogIndex, historyTable.read(connection)).state(), recorded.size());
    });
  }

  /** Refuses to baseline at {@code goal} unless the live schema is the rehearsed one. */
  private void proveSchema(Connection connection, SchemaState goal) {
    ConnectionSource.Login login = source.login().orElseThrow(() -> new TwostepException(Reason.REFUSED, "cannot prove that "
        + historyTable.displayName() + "'s database has the schema of " + goal + ": the proof creates a scratch "
        + "database on the server and needs its URL; configure Twostep with url(...) instead of this DataSource, or "
        + "skip the proof with baseline(release, true) (--trust-schema) if you are sure"));
    Optional<String> differences = SchemaProof.find().differences(catalog, login, historyTable.schema(),
        historyTable.table(), lockTimeout, connection, goal);
    if (differences.isPresent()) {
      throw new TwostepException(Reason.REFUSED, source.mask("refusing to baseline " + historyTable.displayName() + " at " + goal
          + ": the database's schema is not the schema of " + goal + " (the catalog applied up to " + goal
          + " on a scratch database): " + differences.get() + "\nMigrate the database to " + goal + "'s schema, "
          + "baseline the release it has, or, if you are sure it is " + goal + "'s, run baseline --release "
          + goal.release() + " --trust-schema (recorded in the history)."));
    }
    LOG.info("The schema of {} equals {}'s (the catalog applied on a scratch database)", source, goal);
  }

  /**
   * Announces a running application instance of {@code release}, for the deploy guard: while the
   * returned handle is open, post-migrations of newer releases wait for or refuse because of it.
   * Uses a lease of 30 s: a heartbeat renews it every 10 s, each borrowing a connection from the
   * configured DataSource for one single-row {@code UPDATE}; no connection is held in between.
   * After the process exits without closing the handle, is killed or loses its network, the
   * instance stops counting as live at most 30 s after its last heartbeat. Register through the
   * primary: a read-only server (replica) is refused. {@link #check} stays a pure read.
   *
   * @param release the release of the running code, e.g. {@code "2.0.0"}
   * @throws TwostepException when {@code release} is not a release number, or the registration
   *     cannot be written (the message names the grants the role needs)
   */
  public InstanceRegistration registerInstance(String release) {
    return registerInstance(release, Duration.ofSeconds(30));
  }

  /**
   * Like {@link #registerInstance(String)} with another lease: the instance stops counting as live
   * at most {@code lease} after its last heartbeat, and renews it every third of {@code lease}.
   *
   * @throws IllegalArgumentException when {@code lease} is shorter than 300 ms
   * @throws TwostepException as {@link #registerInstance(String)}
   */
  public InstanceRegistration registerInstance(String release, Duration lease) {
    String text = parseRelease(release).text();
    Objects.requireNonNull(lease, "lease");
    if (lease.compareTo(Duration.ofMillis(300)) < 0) {
      throw new IllegalArgumentException("lease must be at least 300 ms: " + lease);
    }
    return new InstanceRegistration(InstanceRegistry.start(source, instanceTable, text, lease), text, lease);
  }

  /**
   * The application instances live now (registered, lease not ended), oldest start first. Changes
   * nothing; a missing instance table reads as none.
   *
   * @throws TwostepException when the database cannot be read
   */
  public List<LiveInstance> instances() {
    try {
      return InstanceRegistry.live(source, instanceTable);
    } catch (SQLException e) {
      throw databaseFailure(e);
    }
  }

  private static Release parseRelease(String release) {
    try {
      return Release.parse(Objects.requireNonNull(release, "release"));
    } catch (IllegalArgumentException e) {
      throw new TwostepException(Reason.INVALID_REQUEST, e.getMessage(), e);
    }
  }

  /** Work done on a connection while holding the deployer lock. */
  private interface LockedWork<T> {
    T run(Connection connection, AdvisoryLock lock) throws SQLException;
  }

  /** How long the probe's second connection may wait for the deployer lock and still be the work's. */
  private static final long IDLE_WORK_CONNECTION_NANOS = Duration.ofSeconds(1).toNanos();

  private <T> T underDeployerLock(LockedWork<T> work) {
    String what = historyTable.displayName() + " at " + source;
    SessionSemantics.Proven sessions = SessionSemantics.require(source);
    long waitStarted = System.nanoTime();
    AdvisoryLock taken;
    try {
      taken = AdvisoryLock.acquire(sessions.first(), historyTable.lockKey(), deployerLockWait, what, deployerLockCheck,
          listener::deployerLockWaiting);
    } catch (RuntimeException e) {
      ConnectionSource.closeQuietly(sessions.second());
      throw e;
    }
    // the probe's second connection does the work, unless it sat idle while another deployer ran
    // (a server's idle_session_timeout may have ended it)
    boolean idled = System.nanoTime() - waitStarted > IDLE_WORK_CONNECTION_NANOS;
    if (idled) {
      ConnectionSource.closeQuietly(sessions.second());
    }
    try (AdvisoryLock lock = taken; Connection connection = idled ? source.open() : sessions.second()) {
      LOG.debug("Holding the deployer lock {}", lock);
      connection.setAutoCommit(true);
      MigrationExecutor.prepareSession(connection);
      if (historyTable.ensure(connection)) {
        instanceTable.ensure(connection);
      }
      return work.run(connection, lock);
    } catch (SQLException e) {
      throw databaseFailure(e);
    }
  }

  private CatalogHistory read() {
    try (Connection connection = source.open()) {
      return new CatalogHistory(catalogIndex, historyTable.read(connection));
    } catch (SQLException e) {
      throw databaseFailure(e);
    }
  }

  private TwostepException databaseFailure(SQLException e) {
    StringBuilder message = new StringBuilder("database error on history table ").append(historyTable.displayName())
        .append(" at ").append(source).append(": SQLSTATE ").append(e.getSQLState()).append(": ")
        .append(source.mask(SqlFailures.message(e)));
    if ("42501".equals(e.getSQLState())) {
      message.append(". The database user lacks a privilege Twostep needs: to create and write the history table ")
          .append("it needs CREATE on its schema (or an existing table it may SELECT and INSERT into), ")
          .append("and the privileges the migrations themselves need.");
    } else if (SqlFailures.isConnectionLost(e)) {
      message.append(". The connection to the database was lost; nothing was half-applied. Run again once the ")
          .append("database is reachable.");
    }
    return new TwostepException(SqlFailures.isConnectionLost(e) || e.getSQLState() == null || e.getSQLState().startsWith("08")
        ? Reason.DATABASE_UNAVAILABLE : Reason.HISTORY_UNREADABLE, message.toString(), e.getSQLState(), e);
  }

  /** The catalog, history table and (masked) database, for logs. */
  @Override
  public String toString() {
    return "Twostep[catalog=" + catalog.name() + ", history=" + historyTable.displayName() + ", database=" + source + "]";
  }

  /**
   * Configures a {@link Twostep}. Give a database ({@link #dataSource} or {@link #url}); the
   * catalog is found through {@link ServiceLoader} when exactly one is on the class path and none
   * is given. Not thread-safe; {@link #build()} copies everything.
   */
  public static final class Builder {
    private DataSource dataSource;
    private String url;
    private String user;
    private String password;
    private MigrationCatalog catalog;
    private String schema = "public";
    private String table = "twostep_history";
    private Duration lockTimeout = Duration.ofSeconds(2);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration deployerLockWait = Duration.ofSeconds(60);
    private Duration deployerLockCheck = Duration.ofMillis(200);
    private boolean allowDowntime;
    private Duration waitForInstances = Duration.ZERO;
    private Duration instancePollInterval = Duration.ofMillis(500);
    private Consumer<String> instanceWaitProgress = line -> LOG.info("{}", line);
    private MigrationListener listener = MigrationListener.slf4j();

    /** PostgreSQL's largest {@code lock_timeout}: INT_MAX milliseconds. */
    private static final Duration MAX_LOCK_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    private Builder() {}

    /** Connects through {@code dataSource}; replaces {@link #url}. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.url = null;
      return this;
    }

    /** Connects to the JDBC URL {@code url} ({@code jdbc:postgresql://...}); replaces {@link #dataSource}. */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      this.dataSource = null;
      return this;
    }

    /** The user for {@link #url}; may be left out when the URL names it. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The password for {@link #url}; never printed or logged. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** The catalog to apply; without it the single catalog on the class path is used. */
    public Builder catalog(MigrationCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** The schema of the history table, {@code public} by default; created when missing. */
    public Builder schema(String schema) {
      this.schema = requireName(schema, "schema");
      return this;
    }

    /** The name of the history table, {@code twostep_history} by default. */
    public Builder table(String table) {
      this.table = requireName(table, "table");
      return this;
    }

    /**
     * How long a migration's statement waits for a lock before it gives up and is retried, 2 s
     * by default. Application queries queue behind a waiting migration for at most this long.
     *
     * @throws IllegalArgumentException when not positive, or above PostgreSQL's maximum of
     *     2147483647 ms
     */
    public Builder lockTimeout(Duration lockTimeout) {
      requirePositive(lockTimeout, "lockTimeout");
      // PostgreSQL's lock_timeout is an int of milliseconds: a larger value fails every migration
      if (lockTimeout.compareTo(MAX_LOCK_TIMEOUT) > 0) {
        throw new IllegalArgumentException("lockTimeout must be at most " + MAX_LOCK_TIMEOUT.toMillis()
            + " ms (about 24.8 days, the largest lock_timeout PostgreSQL accepts): " + lockTimeout);
      }
      this.lockTimeout = lockTimeout;
      return this;
    }

    /** How lock timeouts and deadlocks are retried; {@link RetryPolicy#defaults()} by default. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** How long to wait for another deployer to finish, 60 s by default. */
    public Builder deployerLockWait(Duration deployerLockWait) {
      Objects.requireNonNull(deployerLockWait, "deployerLockWait");
      if (deployerLockWait.isNegative()) {
        throw new IllegalArgumentException("deployerLockWait must not be negative");
      }
      this.deployerLockWait = deployerLockWait;
      return this;
    }

    /**
     * How often, at most, a run proves between two migrations that the session holding the
     * deployer lock is still alive (a lost session means another deployer may start): 200 ms by
     * default, so a catalog of many small migrations does not pay a round trip for each; zero
     * checks before every migration.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder deployerLockCheck(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("deployerLockCheck must not be negative");
      }
      this.deployerLockCheck = interval;
      return this;
    }

    /**
     * Accepts downtime: lets a pre target apply post-migrations of older releases, and a post
     * target pass the deploy guard (pre not applied by an earlier run, live instances of older
     * releases), which breaks code of those releases that is still running. Recorded in the
     * history ({@code downtime}) when it overrode a refusal. Off by default.
     */
    public Builder allowDowntime(boolean allowDowntime) {
      this.allowDowntime = allowDowntime;
      return this;
    }

    /**
     * How long a post-migration waits for live instances of older releases to stop before the
     * deploy guard refuses; zero (the default) refuses at once. The wait ends as soon as the last
     * one is gone; it holds the deployer lock.
     */
    public Builder waitForInstances(Duration waitForInstances) {
      Objects.requireNonNull(waitForInstances, "waitForInstances");
      if (waitForInstances.isNegative()) {
        throw new IllegalArgumentException("waitForInstances must not be negative");
      }
      this.waitForInstances = waitForInstances;
      return this;
    }

    /** How often the wait for instances looks again, 500 ms by default. */
    public Builder instancePollInterval(Duration interval) {
      this.instancePollInterval = requirePositive(interval, "instancePollInterval");
      return this;
    }

    /** Where the wait for instances reports progress, one line (or block) at a time; the log by default. */
    public Builder instanceWaitProgress(Consumer<String> progress) {
      this.instanceWaitProgress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Who hears each run's progress as it happens (migration started, waiting for a lock and
     * who holds it, retry, applied, failed, run finished): {@link MigrationListener#slf4j()} by
     * default. Replaces the default; keep the logging too with
     * {@code listener.andThen(MigrationListener.slf4j())}.
     */
    public Builder listener(MigrationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the immutable {@link Twostep}. Opens no connection.
     *
     * @throws IllegalStateException when no database is given, or no catalog is given and not
     *     exactly one is found through {@link ServiceLoader}
     * @throws IllegalArgumentException when the catalog has two migrations at one position
     */
    public Twostep build() {
      ConnectionSource source;
      if (dataSource != null) {
        source = ConnectionSource.of(dataSource);
      } else if (url != null) {
        source = ConnectionSource.of(url, user, password);
      } else {
        throw new IllegalStateException("no database: call dataSource(...) or url(...)");
      }
      MigrationCatalog chosen = catalog != null ? catalog : discoverCatalog();
      checkCatalog(chosen);
      return new Twostep(this, source, chosen);
    }

    private static MigrationCatalog discoverCatalog() {
      List<MigrationCatalog> found = new ArrayList<>();
      ServiceLoader.load(MigrationCatalog.class).forEach(found::add);
      if (found.size() == 1) {
        return found.get(0);
      }
      if (found.isEmpty()) {
        throw new IllegalStateException("no MigrationCatalog on the class path (META-INF/services/"
            + MigrationCatalog.class.getName() + "): compile the migrations with twostep-processor, or pass "
            + "catalog(...)");
      }
      throw new IllegalStateException(found.size() + " MigrationCatalogs on the class path ("
          + found.stream().map(c -> c.name() + " = " + c.getClass().getName()).sorted().collect(Collectors.joining(", "))
          + "): choose one with catalog(...)");
    }

    private static void checkCatalog(MigrationCatalog catalog) {
      List<Migration> migrations = catalog.migrations();
      if (migrations.isEmpty()) {
        throw new IllegalArgumentException("catalog " + catalog.name() + " has no migrations");
      }
      List<Migration> sorted = new ArrayList<>(migrations);
      sorted.sort(Migration::compareOrder);
      for (int i = 1; i < sorted.size(); i++) {
        if (sorted.get(i - 1).compareOrder(sorted.get(i)) == 0) {
          throw new IllegalArgumentException("catalog " + catalog.name() + " has two migrations at "
              + sorted.get(i).displayName() + " and " + sorted.get(i - 1).displayName());
        }
      }
      if (!sorted.equals(migrations)) {
        throw new IllegalArgumentException("catalog " + catalog.name()
            + " lists its migrations out of order: expected release, then pre before post, then step");
      }
    }

    private static String requireName(String name, String what) {
      if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(what + " must be a non-empty name");
      }
      return name;
    }

    private static Duration requirePositive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
