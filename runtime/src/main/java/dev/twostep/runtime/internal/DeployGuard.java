package dev.twostep.runtime.internal;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.runtime.DeployRefusedException;
import dev.twostep.runtime.LiveInstance;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.internal.HistoryTable.Exemption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploy guard: a run may apply post of release N only when (1) everything ordered before
 * post(N), pre(N) included, was applied by an earlier run, so code N could have been deployed on
 * it, and (2) no instance of a release older than N is live. A database without history is
 * exempt, and so is the resumption of an interrupted first run on one (every history row written
 * by such a run, the state short of that run's target): no code can have been deployed on a
 * database whose first deployment never finished. Allow-downtime overrides both rules and is
 * recorded on the run's history rows.
 */
public final class DeployGuard {
  private static final Logger LOG = LoggerFactory.getLogger(DeployGuard.class);
  private final HistoryTable historyTable;
  private final InstanceTable instances;
  private final boolean allowDowntime;
  private final Duration waitForInstances;
  private final Duration pollInterval;
  private final Consumer<String> progress;

  /**
   * A guard reading {@code instances}, waiting at most {@code waitForInstances} (zero: refuse at
   * once) for old instances to leave, polling every {@code pollInterval} and telling
   * {@code progress} what it waits for.
   */
  public DeployGuard(HistoryTable historyTable, InstanceTable instances, boolean allowDowntime,
      Duration waitForInstances, Duration pollInterval, Consumer<String> progress) {
    this.historyTable = historyTable;
    this.instances = instances;
    this.allowDowntime = allowDowntime;
    this.waitForInstances = waitForInstances;
    this.pollInterval = pollInterval;
    this.progress = progress;
  }

  /**
   * Why {@code pending} may not run in one run (rule 1): for plans. Empty when it may, when
   * nothing of it is a post-migration, or on a fresh database.
   */
  public Optional<String> missingPreRun(Connection connection, CatalogHistory history, List<Migration> pending,
      SchemaState target) throws SQLException {
    if (allowDowntime || pending.stream().noneMatch(m -> m.phase() == Phase.POST) || isFresh(connection, history, target)) {
      return Optional.empty();
    }
    return missingPreRun(history, pending, target);
  }

  /** No history, or only rows of an interrupted first deployment that this run continues. */
  private boolean isFresh(Connection connection, CatalogHistory history, SchemaState target) throws SQLException {
    if (!history.hasHistory()) {
      return true;
    }
    for (String text : historyTable.freshRunTargets(connection)) {
      SchemaState interrupted = SchemaState.parse(text);
      if (history.state().compareTo(interrupted) < 0 && target.compareTo(interrupted) <= 0) {
        return true;
      }
    }
    return false;
  }

  private Optional<String> missingPreRun(CatalogHistory history, List<Migration> pending, SchemaState target) {
    for (int i = 0; i < pending.size(); i++) {
      Migration post = pending.get(i);
      if (post.phase() != Phase.POST) {
        continue;
      }
      List<Migration> before = pending.subList(0, i).stream()
          .filter(m -> !(m.release().equals(post.release()) && m.phase() == Phase.POST))
          .toList();
      if (!before.isEmpty()) {
        Release n = post.release();
        Release previous = history.knownReleases().lower(n);
        boolean ownPre = before.stream().anyMatch(m -> m.release().equals(n));
        return Optional.of("post of " + n + " needs " + (ownPre ? "pre of " + n : "everything before it")
            + " applied by an earlier run (so that " + n + " code could be deployed on it before post of " + n
            + " drops what " + (previous == null ? "older" : previous.toString()) + " code uses), but the database is at "
            + history.state() + " and this run would apply first: "
            + before.stream().map(Migration::displayName).collect(Collectors.joining(", ")) + "."
            + history.stepByStep(pending, target));
      }
    }
    return Optional.empty();
  }

  /**
   * Lets the run of {@code pending} proceed, waiting for old instances when configured, and
   * returns the run to record.
   *
   * @param connection the deployer's connection, in autocommit
   * @param overridingPreRule whether allow-downtime already overrode another refusal (the
   *     post-migrations of older releases during pre): recorded as downtime too
   * @throws DeployRefusedException when a rule refuses and downtime is not allowed
   */
  public HistoryTable.Run admit(Connection connection, CatalogHistory history, List<Migration> pending,
      SchemaState target, boolean overridingPreRule) throws SQLException {
    if (!history.hasHistory()) {
      return HistoryTable.Run.start(target, Exemption.FRESH);
    }
    Exemption passed = overridingPreRule ? Exemption.DOWNTIME : Exemption.NONE;
    Optional<Release> post = pending.stream().filter(m -> m.phase() == Phase.POST).map(Migration::release)
        .max(Release::compareTo);
    if (post.isEmpty()) {
      return HistoryTable.Run.start(target, passed);
    }
    if (isFresh(connection, history, target)) {
      LOG.info("Resuming the interrupted first deployment of this database: the deploy guard does not apply");
      return HistoryTable.Run.start(target, Exemption.FRESH);
    }
    Optional<String> missing = missingPreRun(history, pending, target);
    if (missing.isPresent()) {
      if (!allowDowntime) {
        throw new DeployRefusedException("refusing to migrate to " + target + ": " + missing.get(), List.of());
      }
      LOG.warn("Downtime allowed: {}", missing.get());
      return HistoryTable.Run.start(target, Exemption.DOWNTIME);
    }
    List<LiveInstance> old = older(instances.live(connection), post.get());
    if (old.isEmpty()) {
      return HistoryTable.Run.start(target, passed);
    }
    if (allowDowntime) {
      LOG.warn("Downtime allowed: applying post of {} although instances of older releases are live:\n{}",
          post.get(), describe(old));
      return HistoryTable.Run.start(target, Exemption.DOWNTIME);
    }
    if (!waitForInstances.isZero()) {
      old = waitFor(connection, post.get(), old);
      if (old.isEmpty()) {
        return HistoryTable.Run.start(target, passed);
      }
    }
    throw new DeployRefusedException("refusing to migrate to " + target + ": post of " + post.get()
        + " drops what older code uses, but " + old.size() + (old.size() == 1 ? " instance" : " instances")
        + " of older releases " + (old.size() == 1 ? "is" : "are") + " live"
        + (waitForInstances.isZero() ? "" : " after waiting " + human(waitForInstances)) + ":\n" + describe(old)
        + "\nStop them (deploy " + post.get() + " code everywhere) and run again, or wait for them with "
        + "--wait-for-instances <duration>; an instance that died stops counting as live when its lease ends. "
        + "If no application code runs at all (downtime accepted), pass --allow-downtime instead.", old);
  }

  private List<LiveInstance> waitFor(Connection connection, Release release, List<LiveInstance> old)
      throws SQLException {
    long start = System.nanoTime();
    long deadline = start + waitForInstances.toNanos();
    progress.accept("Waiting up to " + human(waitForInstances) + " for " + old.size()
        + (old.size() == 1 ? " instance" : " instances") + " of releases older than " + release + " to stop:\n"
        + describe(old));
    long nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Set<String> ids = ids(old);
    while (!old.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(Math.min(pollInterval.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      old = older(instances.live(connection), release);
      Set<String> now = ids(old);
      if (!now.equals(ids) || System.nanoTime() > nextReport) {
        progress.accept("  still waiting for " + old.size() + (old.size() == 1 ? " instance" : " instances")
            + " after " + human(Duration.ofNanos(System.nanoTime() - start))
            + (old.isEmpty() ? "" : ": " + old.stream().map(DeployGuard::brief).collect(Collectors.joining(", "))));
        ids = now;
        nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      }
    }
    if (old.isEmpty()) {
      progress.accept("No instance of a release older than " + release + " is live any more (after "
          + human(Duration.ofNanos(System.nanoTime() - start)) + ").");
    }
    return old;
  }

  private static Set<String> ids(List<LiveInstance> live) {
    return live.stream().map(LiveInstance::instanceId).collect(Collectors.toSet());
  }

  /** The instances of releases older than {@code release}; one whose release is not a release number counts too. */
  static List<LiveInstance> older(List<LiveInstance> live, Release release) {
    List<LiveInstance> old = new ArrayList<>();
    for (LiveInstance instance : live) {
      if (!Release.isValid(instance.release()) || Release.parse(instance.release()).compareTo(release) < 0) {
        old.add(instance);
      }
    }
    return old;
  }

  /** One line per instance: release, host, pid, id, start and last sign of life. */
  public static String describe(List<LiveInstance> live) {
    return live.stream().map(i -> "  release " + i.release() + " on " + i.host() + " pid " + i.pid() + " (instance "
        + i.instanceId() + "), started " + Printable.time(i.startedAt()) + ", last seen " + Printable.time(i.lastSeen()))
        .collect(Collectors.joining("\n"));
  }

  private static String brief(LiveInstance i) {
    return i.release() + " on " + i.host() + " pid " + i.pid();
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return d.toMillis() < 1000 && !d.isZero() ? d.toMillis() + " ms" : s + " s";
    }
    return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
  }
}
