package dev.twostep.runtime.cli;

import dev.twostep.runtime.internal.Printable;
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
import java.util.stream.Collectors;

/**
 * The command line's progress for people: one line per event as it happens, on standard error,
 * aligned: the time since the command started, a word for the event, then the migration and what
 * happened to it.
 *
 * <pre>
 *    0.412s  waiting  2.0.0:pre #1 add priority  for a lock held by pid 4242 (...) last query: ...
 * </pre>
 */
final class ProgressLines implements MigrationListener {
  /** The width of the time and event columns, for continuation lines. */
  private static final String INDENT = " ".repeat(20);

  private final PrintWriter out;
  private final long start;

  ProgressLines(PrintWriter out, long start) {
    this.out = out;
    this.start = start;
  }

  /** One event: {@code word} in the event column, {@code text} after it; more lines are indented. */
  synchronized void line(String word, String text) {
    String[] lines = text.split("\n", -1);
    out.println(elapsed(System.nanoTime() - start) + "s  " + pad(word) + " " + lines[0]);
    for (int i = 1; i < lines.length; i++) {
      out.println(INDENT + lines[i]);
    }
    out.flush();
  }

  /**
   * {@code nanos} as seconds with three decimals, right-aligned in eight characters, as
   * {@code %8.3f} would write them (rounded half up); without {@code Formatter}, which a cold
   * JVM pays for on every line of a run.
   */
  static String elapsed(long nanos) {
    long millis = (Math.max(0, nanos) + 500_000) / 1_000_000;
    String text = millis / 1000 + "." + (char) ('0' + millis % 1000 / 100) + (char) ('0' + millis % 100 / 10)
        + (char) ('0' + millis % 10);
    return text.length() >= 8 ? text : " ".repeat(8 - text.length()) + text;
  }

  /** {@code word} left-aligned in eight characters, as {@code %-8s} would write it. */
  private static String pad(String word) {
    return word.length() >= 8 ? word : word + " ".repeat(8 - word.length());
  }

  @Override
  public void runStarting(SchemaState from, SchemaState to, List<Migration> pending) {
    line("migrate", from + " -> " + to + ": " + count(pending.size()));
  }

  @Override
  public void deployerLockWaiting(String holder, Duration waited) {
    line("waiting", "for the deployer lock, held by " + holder + " (another deployer; waited " + waited.toMillis()
        + " ms so far)");
  }

  @Override
  public void migrationStarting(Migration migration, int attempt, int maxAttempts) {
    line("start", Printable.escape(migration.displayName()) + (attempt == 1 ? "" : "  (attempt " + attempt + " of " + maxAttempts + ")"));
  }

  @Override
  public void lockWaiting(Migration migration, int attempt, Duration waited, List<BlockingSession> blockers) {
    line("waiting", Printable.escape(migration.displayName()) + "  for a lock held by "
        + blockers.stream().map(BlockingSession::describe).collect(Collectors.joining("; ")));
  }

  @Override
  public void retrying(Migration migration, int failedAttempt, int maxAttempts, String cause, Duration backoff,
      List<BlockingSession> blockers) {
    line("retry", Printable.escape(migration.displayName()) + "  attempt " + failedAttempt + " of " + maxAttempts + ": " + cause
        + (blockers.isEmpty() ? "" : ", blocked by pid "
            + blockers.stream().map(b -> String.valueOf(b.pid())).collect(Collectors.joining(", pid ")))
        + "; next attempt in " + backoff.toMillis() + " ms");
  }

  @Override
  public void migrationApplied(AppliedMigration applied, Duration elapsed) {
    // the successful attempt's own wait for a lock is in its time; earlier attempts and backoffs are not
    String extra = applied.attempts() == 1 ? ""
        : " (" + elapsed.toMillis() + " ms in all, " + applied.attempts() + " attempts)";
    line("applied", Printable.escape(applied.migration().displayName()) + "  " + applied.executionMs() + " ms" + extra);
  }

  @Override
  public void migrationFailed(Migration migration, TwostepException failure, Duration elapsed) {
    line("failed", Printable.escape(migration.displayName()) + "  after " + elapsed.toMillis() + " ms (the error follows)");
  }

  @Override
  public void runFinished(MigrateResult result, Duration elapsed) {
    line("done", result.before() + " -> " + result.after() + ": " + count(result.applied().size()) + " in "
        + elapsed.toMillis() + " ms");
  }

  static String count(int migrations) {
    return migrations + (migrations == 1 ? " migration" : " migrations");
  }
}
