package dev.twostep.runtime.cli;

import dev.twostep.Migration;
import dev.twostep.runtime.AppliedMigration;
import dev.twostep.runtime.BlockingSession;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.MigrationListener;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.TwostepException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The command line's progress for machines ({@code pre|post|migrate --json}): one JSON object per
 * event and line on standard output, each with {@code event} and {@code elapsedMs} (since the
 * command started).
 */
final class JsonEventLines implements MigrationListener {
  private final PrintWriter out;
  private final long start;
  private final Function<String, String> mask;

  JsonEventLines(PrintWriter out, long start, Function<String, String> mask) {
    this.out = out;
    this.start = start;
    this.mask = mask;
  }

  /** A new event object, still open: add fields, then {@link #emit}. */
  JsonWriter event(String name) {
    return new JsonWriter().beginObject().field("event", name)
        .field("elapsedMs", (System.nanoTime() - start) / 1_000_000);
  }

  synchronized void emit(JsonWriter event) {
    out.println(event.endObject());
    out.flush();
  }

  /** An event with a masked {@code message}: an error or the wait for instances. */
  void message(String name, String message) {
    emit(event(name).field("message", mask.apply(message)));
  }

  private static JsonWriter migration(JsonWriter w, Migration m) {
    return w.field("migration", m.displayName()).field("release", m.release().text()).field("phase", m.phase().label())
        .field("step", m.step());
  }

  private static JsonWriter blockers(JsonWriter w, List<BlockingSession> blockers) {
    w.beginArray("blockers");
    for (BlockingSession b : blockers) {
      w.beginObject().field("pid", b.pid()).field("user", b.user()).field("application", b.application())
          .field("state", b.state()).field("transactionMs", b.transactionMs()).field("query", b.shortQuery())
          .endObject();
    }
    return w.endArray();
  }

  @Override
  public void runStarting(SchemaState from, SchemaState to, List<Migration> pending) {
    emit(event("run").field("from", from.toString()).field("to", to.toString()).field("migrations", pending.size()));
  }

  @Override
  public void deployerLockWaiting(String holder, Duration waited) {
    emit(event("deployerLockWait").field("holder", holder).field("waitedMs", waited.toMillis()));
  }

  @Override
  public void migrationStarting(Migration migration, int attempt, int maxAttempts) {
    emit(migration(event("start"), migration).field("attempt", attempt).field("maxAttempts", maxAttempts));
  }

  @Override
  public void lockWaiting(Migration migration, int attempt, Duration waited, List<BlockingSession> blockers) {
    emit(blockers(migration(event("lockWait"), migration).field("attempt", attempt).field("waitedMs", waited.toMillis()),
        blockers));
  }

  @Override
  public void retrying(Migration migration, int failedAttempt, int maxAttempts, String cause, Duration backoff,
      List<BlockingSession> blockers) {
    emit(blockers(migration(event("retry"), migration).field("attempt", failedAttempt).field("maxAttempts", maxAttempts)
        .field("cause", cause).field("backoffMs", backoff.toMillis()), blockers));
  }

  @Override
  public void migrationApplied(AppliedMigration applied, Duration elapsed) {
    emit(migration(event("applied"), applied.migration()).field("ms", applied.executionMs())
        .field("totalMs", elapsed.toMillis()).field("attempts", applied.attempts()));
  }

  @Override
  public void migrationFailed(Migration migration, TwostepException failure, Duration elapsed) {
    emit(migration(event("failed"), migration).field("totalMs", elapsed.toMillis())
        .field("sqlState", failure.sqlState().orElse(null)).field("message", mask.apply(failure.getMessage())));
  }

  @Override
  public void runFinished(MigrateResult result, Duration elapsed) {
    // the command's own "result" line ends the stream, also when nothing was applied
  }
}
