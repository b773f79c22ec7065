package dev.twostep.runtime.reliability;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.cli.TwostepCommandLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the command line: exit code and what it printed. */
record CommandLineRun(int exitCode, String out, String err) {
  static CommandLineRun run(MigrationCatalog catalog, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new TwostepCommandLine(new PrintWriter(out), new PrintWriter(err), env).run(catalog, args);
    return new CommandLineRun(code, out.toString(), err.toString());
  }

  /** Standard error from the error message on: the progress lines before it left out. */
  String error() {
    int at = err.indexOf("twostep: error: ");
    return at < 0 ? "" : err.substring(at);
  }

  static CommandLineRun run(MigrationCatalog catalog, String... args) {
    return run(catalog, Map.of(), args);
  }
}
