package dev.twostep.runtime.internal;

import dev.twostep.Migration;
import dev.twostep.runtime.AppliedMigration;
import dev.twostep.runtime.BlockingSession;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.MigrationListener;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.TwostepException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MigrationListener#slf4j()}: every migration event as one log line. */
public final class LoggingListener implements MigrationListener {
  /** The one instance. */
  public static final LoggingListener INSTANCE = new LoggingListener();
  // the logger applications already configure for Twostep: the entry class's name
  private static final Logger LOG = LoggerFactory.getLogger("dev.twostep.runtime.Twostep");

  private LoggingListener() {}

  @Override
  public void runStarting(SchemaState from, SchemaState to, List<Migration> pending) {
    LOG.info("Migrating from {} to {}: {} migrations", from, to, pending.size());
  }

  @Override
  public void deployerLockWaiting(String holder, Duration waited) {
    LOG.info("Waiting for the deployer lock ({} ms so far): held by {}", waited.toMillis(), holder);
  }

  @Override
  public void migrationStarting(Migration migration, int attempt, int maxAttempts) {
    if (attempt == 1) {
      LOG.info("Applying {}", migration.displayName());
    } else {
      LOG.info("Applying {} (attempt {} of {})", migration.displayName(), attempt, maxAttempts);
    }
  }

  @Override
  public void lockWaiting(Migration migration, int attempt, Duration waited, List<BlockingSession> blockers) {
    LOG.warn("{}: waiting for a lock (attempt {}, {} ms so far), blocked by {}", migration.displayName(), attempt,
        waited.toMillis(), describe(blockers));
  }

  @Override
  public void retrying(Migration migration, int failedAttempt, int maxAttempts, String cause, Duration backoff,
      List<BlockingSession> blockers) {
    LOG.warn("{}: {} (attempt {} of {}){}; retrying in {} ms", migration.displayName(), cause, failedAttempt,
        maxAttempts, blockers.isEmpty() ? "" : ", blocked by " + describe(blockers), backoff.toMillis());
  }

  @Override
  public void migrationApplied(AppliedMigration applied, Duration elapsed) {
    LOG.info("Applied {} in {} ms ({} ms in all, {} attempts)", applied.migration().displayName(),
        applied.executionMs(), elapsed.toMillis(), applied.attempts());
  }

  @Override
  public void migrationFailed(Migration migration, TwostepException failure, Duration elapsed) {
    LOG.error("{} failed after {} ms", migration.displayName(), elapsed.toMillis());
  }

  @Override
  public void runFinished(MigrateResult result, Duration elapsed) {
    LOG.info("Migrated from {} to {}: {} migrations in {} ms", result.before(), result.after(), result.applied().size(),
        elapsed.toMillis());
  }

  private static String describe(List<BlockingSession> blockers) {
    return blockers.stream().map(BlockingSession::describe).collect(Collectors.joining("; "));
  }
}
