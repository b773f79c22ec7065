package dev.twostep.runtime;

import dev.twostep.Migration;
import dev.twostep.runtime.internal.LoggingListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Hears what {@link Twostep#migrate(Target)} does while it does it: for a deploy script's progress
 * output, metrics or alerts. Set one with {@link Twostep.Builder#listener}; by default the events
 * are logged through SLF4J ({@link #slf4j()}). Every method has an empty default, so a listener
 * overrides only what it needs.
 *
 * <p>Calls come from the migrating thread, except {@link #lockWaiting}, which comes from
 * Twostep's watch thread while the migrating thread is blocked in PostgreSQL: implementations
 * must be thread-safe. A listener should not throw: an exception from it ends the run as a
 * failure would (one from {@link #lockWaiting} is logged and ignored).
 */
public interface MigrationListener {
  /**
   * A run took the deployer lock and is about to apply {@code pending} (not empty), in order.
   *
   * @param from the schema state before
   * @param to the target
   * @param pending what it will apply
   */
  default void runStarting(SchemaState from, SchemaState to, List<Migration> pending) {}

  /**
   * Another deployer holds the deployer lock, so this run waits for it (reported when the wait
   * starts, then every 10 s).
   *
   * @param holder who holds it: pid, application, host, since when
   * @param waited how long this run has waited so far
   */
  default void deployerLockWaiting(String holder, Duration waited) {}

  /**
   * An attempt to apply {@code migration} starts.
   *
   * @param attempt 1 for the first attempt, more after lock timeouts or deadlocks
   * @param maxAttempts how many attempts the {@link RetryPolicy} allows
   */
  default void migrationStarting(Migration migration, int attempt, int maxAttempts) {}

  /**
   * The migration's statement waits for a lock that {@code blockers} hold; called as soon as the
   * wait is seen (the watch looks every 500 ms at most, 1/4 of the lock timeout when shorter),
   * and again when the set of blocking sessions changes. Called from Twostep's watch thread.
   *
   * @param attempt the attempt that waits
   * @param waited how long the attempt has run so far
   * @param blockers the sessions holding the lock, at least one
   */
  default void lockWaiting(Migration migration, int attempt, Duration waited, List<BlockingSession> blockers) {}

  /**
   * An attempt failed on a lock timeout ({@code 55P03}) or a deadlock ({@code 40P01}) and the
   * migration is tried again after {@code backoff}; it was rolled back completely.
   *
   * @param failedAttempt the attempt that failed
   * @param maxAttempts how many attempts the {@link RetryPolicy} allows
   * @param cause {@code lock_timeout of 2000 ms reached} or {@code deadlock}
   * @param backoff the wait before the next attempt
   * @param blockers the sessions that held the lock, as last seen; may be empty
   */
  default void retrying(Migration migration, int failedAttempt, int maxAttempts, String cause, Duration backoff,
      List<BlockingSession> blockers) {}

  /**
   * A migration was applied and recorded.
   *
   * @param applied the migration, its successful attempt's time and its attempts
   * @param elapsed the time from its first attempt's start to now: lock waits and backoffs included
   */
  default void migrationApplied(AppliedMigration applied, Duration elapsed) {}

  /**
   * A migration failed for good; the run stops and {@code failure} is thrown next.
   *
   * @param elapsed the time from its first attempt's start to the failure
   */
  default void migrationFailed(Migration migration, TwostepException failure, Duration elapsed) {}

  /**
   * A run that applied migrations is over.
   *
   * @param result what it applied
   * @param elapsed the run's whole time since it took the deployer lock, waits included
   */
  default void runFinished(MigrateResult result, Duration elapsed) {}

  /** Logs every event through SLF4J (logger {@code dev.twostep.runtime.Twostep}): the default listener. */
  static MigrationListener slf4j() {
    return LoggingListener.INSTANCE;
  }

  /** A listener that hears nothing. */
  static MigrationListener none() {
    return new MigrationListener() { };
  }

  /** This listener, then {@code next}, for every event (e.g. {@code mine.andThen(MigrationListener.slf4j())}). */
  default MigrationListener andThen(MigrationListener next) {
    Objects.requireNonNull(next, "next");
    MigrationListener first = this;
    return new MigrationListener() {
      @Override
      public void runStarting(SchemaState from, SchemaState to, List<Migration> pending) {
        first.runStarting(from, to, pending);
        next.runStarting(from, to, pending);
      }

      @Override
      public void deployerLockWaiting(String holder, Duration waited) {
        first.deployerLockWaiting(holder, waited);
        next.deployerLockWaiting(holder, waited);
      }

      @Override
      public void migrationStarting(Migration migration, int attempt, int maxAttempts) {
        first.migrationStarting(migration, attempt, maxAttempts);
        next.migrationStarting(migration, attempt, maxAttempts);
      }

      @Override
      public void lockWaiting(Migration migration, int attempt, Duration waited, List<BlockingSession> blockers) {
        first.lockWaiting(migration, attempt, waited, blockers);
        next.lockWaiting(migration, attempt, waited, blockers);
      }

      @Override
      public void retrying(Migration migration, int failedAttempt, int maxAttempts, String cause, Duration backoff,
          List<BlockingSession> blockers) {
        first.retrying(migration, failedAttempt, maxAttempts, cause, backoff, blockers);
        next.retrying(migration, failedAttempt, maxAttempts, cause, backoff, blockers);
      }

      @Override
      public void migrationApplied(AppliedMigration applied, Duration elapsed) {
        first.migrationApplied(applied, elapsed);
        next.migrationApplied(applied, elapsed);
      }

      @Override
      public void migrationFailed(Migration migration, TwostepException failure, Duration elapsed) {
        first.migrationFailed(migration, failure, elapsed);
        next.migrationFailed(migration, failure, elapsed);
      }

      @Override
      public void runFinished(MigrateResult result, Duration elapsed) {
        first.runFinished(result, elapsed);
        next.runFinished(result, elapsed);
      }
    };
  }
}
