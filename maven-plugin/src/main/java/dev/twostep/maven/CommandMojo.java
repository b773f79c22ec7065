package dev.twostep.maven;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.cli.TwostepCommandLine;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * A goal that runs one command of Twostep's command line on the project's compiled catalog, its
 * output going to Maven's log. A non-zero exit code fails the build.
 */
abstract class CommandMojo extends TwostepMojo {
  /** The command and its own arguments, e.g. {@code ["migrate", "--to", "2.0.0"]}. */
  abstract List<String> command() throws MojoExecutionException;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    List<String> args = new ArrayList<>(command());
    if (url != null && !url.isBlank()) {
      args.add("--url");
      args.add(url.strip());
    }
    // credentials through the environment the command line reads, never on a command line
    Map<String, String> env = new HashMap<>(System.getenv());
    if (user != null && !user.isBlank()) {
      env.put("TWOSTEP_USER", user);
    }
    if (password != null) {
      env.put("TWOSTEP_PASSWORD", password);
    }
    int code;
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader loader = projectLoader();
        PrintWriter out = new PrintWriter(new LineWriter(getLog()::info), true);
        PrintWriter err = new PrintWriter(new LineWriter(getLog()::error), true);
        PrintWriter progress = new PrintWriter(new LineWriter(getLog()::info), true)) {
      MigrationCatalog catalog = loadCatalog(loader);
      // Java migrations and the JDBC driver look up classes and services through it
      thread.setContextClassLoader(loader);
      // progress lines are news, not errors: Maven shows them as [INFO]
      code = new TwostepCommandLine(out, err, progress, env).run(catalog, args.toArray(new String[0]));
    } catch (java.io.IOException e) {
      throw new MojoExecutionException("twostep: " + e.getMessage(), e);
    } finally {
      thread.setContextClassLoader(previous);
    }
    if (code != TwostepCommandLine.OK) {
      throw new MojoFailureException("twostep " + args.get(0) + " failed (exit code " + code + ": " + meaning(code) + "); see above");
    }
  }

  private static String meaning(int code) {
    return switch (code) {
      case TwostepCommandLine.USAGE -> "bad parameters";
      case TwostepCommandLine.INCOMPATIBLE -> "incompatible or drift";
      default -> "failure";
    };
  }

  /** The value of a parameter a command needs, or a failure naming its user property. */
  String required(String value, String property, String what) throws MojoExecutionException {
    if (value == null || value.isBlank()) {
      throw new MojoExecutionException("twostep: " + what + ": set -D" + property + "=... or <" + property.substring("twostep.".length())
          + "> in the plugin's configuration");
    }
    return value.strip();
  }

  /** Hands each complete line written to it to Maven's log. */
  static final class LineWriter extends Writer {
    private final Consumer<CharSequence> log;
    private final StringBuilder line = new StringBuilder();

    LineWriter(Consumer<CharSequence> log) {
      this.log = log;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (chars[i] == '\n') {
          log.accept(line.toString());
          line.setLength(0);
        } else if (chars[i] != '\r') {
          line.append(chars[i]);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public synchronized void close() {
      if (line.length() > 0) {
        log.accept(line.toString());
        line.setLength(0);
      }
    }
  }
}
