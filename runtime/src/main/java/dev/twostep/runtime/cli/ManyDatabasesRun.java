package dev.twostep.runtime.cli;

import dev.twostep.runtime.DeployRefusedException;
import dev.twostep.runtime.ManyDatabases;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.StatusEntry;
import dev.twostep.runtime.StatusReport;
import dev.twostep.runtime.Twostep;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * One command on every database of {@code --urls-file}: a progress line per database on standard
 * error as it finishes, then one summary table (or JSON) on standard output; the exit code is the
 * highest of the databases', so it is non-zero when any failed.
 */
final class ManyDatabasesRun {
  private ManyDatabasesRun() {}

  /**
   * What one command did on one database.
   *
   * @param before the schema state before, or {@code null} when it could not be read
   * @param after the schema state after
   * @param migrations how many migrations the command applied
   * @param exitCode the command's exit code on this database
   * @param output what the command printed
   * @param error why the command failed, or {@code null}
   */
  record DatabaseRun(SchemaState before, SchemaState after, long migrations, int exitCode, String output,
      String error) {}

  /** The command's work on one database, printing to the writer it is given. */
  interface Command {
    int execute(Twostep twostep, PrintWriter out);
  }

  static int run(ManyDatabases databases, int count, Command command, boolean changesSchema, boolean json,
      PrintWriter out, PrintWriter err, Function<String, String> mask) {
    int[] finished = {0};
    int width = String.valueOf(count).length();
    List<ManyDatabases.Outcome<DatabaseRun>> outcomes = databases.run(
        twostep -> runOne(twostep, command, changesSchema),
        outcome -> {
          finished[0]++;
          err.println(String.format(Locale.ROOT, "twostep: [%" + width + "d/%d] %s  %s  %d ms", finished[0], count,
              outcome.database(), result(outcome, mask), outcome.time().toMillis()));
          err.flush();
        });
    int exit = TwostepCommandLine.OK;
    for (ManyDatabases.Outcome<DatabaseRun> o : outcomes) {
      exit = Math.max(exit, o.succeeded() ? o.result().orElseThrow().exitCode() : TwostepCommandLine.FAILURE);
    }
    if (json) {
      out.println(json(outcomes, mask));
      return exit;
    }
    TextTable table = new TextTable(Set.of(3, 4), "DATABASE", "BEFORE", "AFTER", "MIGRATIONS", "MS", "RESULT");
    for (ManyDatabases.Outcome<DatabaseRun> o : outcomes) {
      DatabaseRun r = o.result().orElse(null);
      table.add(o.database(), r == null || r.before() == null ? "?" : r.before().toString(),
          r == null || r.after() == null ? "?" : r.after().toString(), r == null ? "" : String.valueOf(r.migrations()),
          String.valueOf(o.time().toMillis()), result(o, mask));
    }
    table.print(out);
    long failed = outcomes.stream().filter(o -> !o.succeeded() || o.result().orElseThrow().exitCode() != TwostepCommandLine.OK)
        .count();
    out.println();
    out.println(outcomes.size() + (outcomes.size() == 1 ? " database: " : " databases: ") + (outcomes.size() - failed)
        + " ok, " + failed + " not" + (failed == 0 ? "" : "; run the same command again to resume"));
    for (ManyDatabases.Outcome<DatabaseRun> o : outcomes) {
      if (!o.succeeded()) {
        out.println(o.database() + ": twostep: error: " + message(o.failure().orElseThrow(), mask));
      } else if (o.result().orElseThrow().error() != null) {
        out.println(o.database() + ": twostep: error: " + mask.apply(o.result().orElseThrow().error()));
      } else if (o.result().orElseThrow().exitCode() != TwostepCommandLine.OK) {
        out.println(o.database() + ":");
        o.result().orElseThrow().output().lines().forEach(line -> out.println("  " + line));
      }
    }
    return exit;
  }

  private static DatabaseRun runOne(Twostep twostep, Command command, boolean changesSchema) {
    StatusReport before = twostep.status();
    StringWriter buffer = new StringWriter();
    int code = TwostepCommandLine.FAILURE;
    String error = null;
    try (PrintWriter out = new PrintWriter(buffer)) {
      code = command.execute(twostep, out);
    } catch (RuntimeException e) {
      code = e instanceof DeployRefusedException ? TwostepCommandLine.REFUSED : TwostepCommandLine.FAILURE;
      error = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
    StatusReport after = before;
    if (changesSchema) {
      try {
        after = twostep.status();
      } catch (RuntimeException e) {
        // the failure above is what matters; the state after is then unknown
        return new DatabaseRun(before.state(), null, 0, code, buffer.toString(), error);
      }
    }
    return new DatabaseRun(before.state(), after.state(), applied(after) - applied(before), code, buffer.toString(),
        error);
  }

  private static long applied(StatusReport status) {
    return status.entries().stream().filter(e -> e.state() == StatusEntry.State.APPLIED).count();
  }

  private static String result(ManyDatabases.Outcome<DatabaseRun> o, Function<String, String> mask) {
    if (!o.succeeded()) {
      return "failed: " + firstLine(message(o.failure().orElseThrow(), mask));
    }
    if (o.result().orElseThrow().error() != null) {
      return "failed: " + firstLine(mask.apply(o.result().orElseThrow().error()));
    }
    return switch (o.result().orElseThrow().exitCode()) {
      case TwostepCommandLine.OK -> "ok";
      case TwostepCommandLine.INCOMPATIBLE -> "incompatible or drift (exit 3)";
      default -> "exit " + o.result().orElseThrow().exitCode();
    };
  }

  private static String firstLine(String message) {
    int end = message.indexOf('\n');
    String first = end < 0 ? message : message.substring(0, end);
    return first.length() > 100 ? first.substring(0, 97) + "..." : first;
  }

  private static String message(RuntimeException e, Function<String, String> mask) {
    return mask.apply(e.getMessage() == null ? e.getClass().getName() : e.getMessage());
  }

  private static String json(List<ManyDatabases.Outcome<DatabaseRun>> outcomes, Function<String, String> mask) {
    JsonWriter w = new JsonWriter().beginObject().beginArray("databases");
    for (ManyDatabases.Outcome<DatabaseRun> o : outcomes) {
      DatabaseRun r = o.result().orElse(null);
      w.beginObject()
          .field("database", o.database())
          .field("ok", o.succeeded() && r.exitCode() == TwostepCommandLine.OK && r.error() == null)
          .field("exitCode", o.succeeded() ? r.exitCode() : TwostepCommandLine.FAILURE)
          .field("before", r == null ? null : r.before().toString())
          .field("after", r == null || r.after() == null ? null : r.after().toString())
          .field("migrations", r == null ? 0 : r.migrations())
          .field("ms", o.time().toMillis())
          .field("error", !o.succeeded() ? message(o.failure().orElseThrow(), mask) : r.error() == null ? null : mask.apply(r.error()));
      if (r != null && r.output().strip().startsWith("{")) {
        w.rawField("result", r.output());
      } else {
        w.field("output", r == null ? null : mask.apply(r.output()));
      }
      w.endObject();
    }
    return w.endArray().endObject().toString();
  }
}
