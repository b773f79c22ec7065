package dev.twostep.runtime.cli;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.Waiver;
import dev.twostep.runtime.BaselineResult;
import dev.twostep.runtime.CheckResult;
import dev.twostep.runtime.DeployRefusedException;
import dev.twostep.runtime.HistoryEntry;
import dev.twostep.runtime.Drift;
import dev.twostep.runtime.LiveInstance;
import dev.twostep.runtime.ManyDatabases;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.Plan;
import dev.twostep.runtime.StatusEntry;
import dev.twostep.runtime.StatusReport;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.MigrationListener;
import dev.twostep.runtime.internal.JdbcTarget;
import dev.twostep.runtime.internal.Printable;
import dev.twostep.runtime.internal.Redaction;
import dev.twostep.runtime.snapshot.Rehearsal;
import dev.twostep.runtime.snapshot.RehearsalReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Twostep's command line, run by the {@code main} of a generated catalog
 * ({@code java -cp app.jar com.acme.db.ShopMigrations <command> [options]}) and found by
 * {@link MigrationCatalog#runCommandLine} through {@code META-INF/services}.
 *
 * <p>Commands: {@code status [--json]}, {@code plan [--to T]}, {@code pre}, {@code post},
 * {@code migrate --to T}, {@code verify}, {@code check --release R}, {@code baseline --release R},
 * {@code rehearse}, {@code instances [--json]}. {@code post} and {@code migrate} also take
 * {@code --wait-for-instances <duration>}.
 * Every command takes {@code --url}, {@code --user}, {@code --password} (else the environment
 * variables {@code TWOSTEP_URL}, {@code TWOSTEP_USER}, {@code TWOSTEP_PASSWORD}),
 * {@code --schema}, {@code --table}, {@code --lock-timeout}, {@code --deployer-lock-wait},
 * {@code --allow-downtime} and {@code --verbose}.
 *
 * <p>Exit codes:
 * <ul>
 *   <li>{@value #OK}: success; for {@code check}, the code may run; for {@code verify}, no drift</li>
 *   <li>{@value #FAILURE}: failure: a migration failed, Twostep refused (checksum changed, a
 *       post-migration of an older release during {@code pre}, history already present for
 *       {@code baseline}, {@code plan} of a migration that would be refused), the database could not
 *       be reached, or the deployer lock was not free in time</li>
 *   <li>{@value #USAGE}: usage error: unknown command or option, bad value, no database given</li>
 *   <li>{@value #INCOMPATIBLE}: {@code check}: the code of the release may not run on the current
 *       schema; {@code verify}: the history differs from the catalog; {@code rehearse}: a
 *       pre-migration removed or changed what the previous release uses, or stepping through
 *       differs from applying all at once</li>
 *   <li>{@value #REFUSED}: the deploy guard refused a post-migration: pre of its release was not
 *       applied by an earlier run, or instances of an older release are live</li>
 * </ul>
 *
 * <p>Errors go to standard error as {@code twostep: error: <message>} without a stack trace
 * unless {@code --verbose} is given. Passwords are never printed.
 */
public final class TwostepCommandLine implements MigrationCatalog.CommandLine {
  /** Exit code: success. */
  public static final int OK = 0;
  /** Exit code: a failure or refusal. */
  public static final int FAILURE = 1;
  /** Exit code: the command line was not understood. */
  public static final int USAGE = 2;
  /** Exit code: {@code check} says incompatible, or {@code verify} found drift. */
  public static final int INCOMPATIBLE = 3;
  /** Exit code: the deploy guard refused a post-migration. */
  public static final int REFUSED = 4;

  private final PrintWriter out;
  private final PrintWriter err;
  private final PrintWriter progress;
  private final Map<String, String> env;

  /** The command line for {@code main}: standard output and error, the process environment. */
  public TwostepCommandLine() {
    this(new PrintWriter(System.out, true, Charset.defaultCharset()),
        new PrintWriter(System.err, true, Charset.defaultCharset()), System.getenv());
    Slf4jWithoutProvider.quiet(TwostepCommandLine.class.getClassLoader());
  }

  /**
   * A command line writing to {@code out} and {@code err} and reading the {@code TWOSTEP_*}
   * variables from {@code env}; for tests and embedding.
   */
  public TwostepCommandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
    this(out, err, err, env);
  }

  /**
   * Like {@link #TwostepCommandLine(PrintWriter, PrintWriter, Map)}, with the progress lines
   * (migration started, waiting for a lock, retry, applied) going to {@code progress} instead of
   * {@code err}: for embedding where errors and progress are shown differently (Maven's log).
   */
  public TwostepCommandLine(PrintWriter out, PrintWriter err, PrintWriter progress, Map<String, String> env) {
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.env = Map.copyOf(env);
  }

  /**
   * Runs {@code args} on {@code catalog}.
   *
   * @return the exit code: {@value #OK}, {@value #FAILURE}, {@value #USAGE}, {@value #INCOMPATIBLE} or
   *     {@value #REFUSED}
   */
  @Override
  public int run(MigrationCatalog catalog, String[] args) {
    List<String> secrets = secrets(args);
    Root root = new Root(catalog, out, err, progress, env, secrets);
    Integer quick = runQuick(root, args, secrets);
    if (quick != null) {
      return quick;
    }
    CommandLine commandLine = new CommandLine(root);
    commandLine.setCommandName(catalog.name() + "Migrations");
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      String message = e instanceof CommandLine.UnmatchedArgumentException
          ? unmatched(((CommandLine.UnmatchedArgumentException) e).getUnmatched())
          : e.getMessage();
      err.println("twostep: " + mask(message, secrets));
      err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      return USAGE;
    });
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> failed(e, args, secrets));
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Runs the command of {@code args} when {@link QuickArgs} can read them; {@code null} when
   * picocli must (help, a mistake, anything unusual), before anything was printed or done.
   */
  private Integer runQuick(Root root, String[] args, List<String> secrets) {
    TwostepCommand command = QuickArgs.parse(root, args);
    if (command == null) {
      return null;
    }
    try {
      return command.call();
    } catch (QuickArgs.Declined e) {
      return null;
    } catch (Exception e) {
      return failed(e, args, secrets);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Prints a command's failure as one line (and with {@code --verbose} its trace); the exit code. */
  private int failed(Exception e, String[] args, List<String> secrets) {
    if (List.of(args).contains("--verbose")) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      err.print(mask(trace.toString(), secrets));
    }
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    err.println("twostep: error: " + Printable.escapeLines(mask(message, secrets)));
    return e instanceof DeployRefusedException ? REFUSED : FAILURE;
  }

  /**
   * Names the unknown arguments without echoing what may be a secret: the value of an unknown
   * option ({@code --pasword=...} or {@code --pasword ...}) is not shown.
   */
  private static String unmatched(List<String> unmatched) {
    List<String> shown = new ArrayList<>();
    boolean afterOption = false;
    for (String token : unmatched) {
      if (token.startsWith("-")) {
        int eq = token.indexOf('=');
        shown.add("'" + (eq < 0 ? token : token.substring(0, eq) + "=" + Redaction.MASK) + "'");
        afterOption = eq < 0;
      } else if (afterOption) {
        afterOption = false;
      } else {
        shown.add("'" + token + "'");
      }
    }
    return "unknown option or argument: " + String.join(", ", shown);
  }

  /** The password values given on the command line or in the environment, to mask. */
  private List<String> secrets(String[] args) {
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--password") && i + 1 < args.length) {
        secrets.add(args[i + 1]);
      } else if (args[i].startsWith("--password=")) {
        secrets.add(args[i].substring("--password=".length()));
      }
    }
    if (env.get("TWOSTEP_PASSWORD") != null) {
      secrets.add(env.get("TWOSTEP_PASSWORD"));
    }
    // a password inside a URL is masked wherever it shows up, not only next to "password="
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--url") && i + 1 < args.length) {
        secrets.addAll(Redaction.urlPasswords(args[i + 1]));
      } else if (args[i].startsWith("--url=")) {
        secrets.addAll(Redaction.urlPasswords(args[i].substring("--url=".length())));
      }
    }
    if (env.get("TWOSTEP_URL") != null) {
      secrets.addAll(Redaction.urlPasswords(env.get("TWOSTEP_URL")));
    }
    secrets.removeIf(String::isBlank);
    return secrets;
  }

  private static String mask(String text, List<String> secrets) {
    return Redaction.mask(text, secrets);
  }

  /** The top command: only dispatches. */
  @Command(
      name = "twostep",
      description = "Applies blue-green (expand/contract) PostgreSQL migrations.",
      subcommands = {
        StatusCommand.class, PlanCommand.class, PreCommand.class, PostCommand.class, MigrateCommand.class,
        VerifyCommand.class, CheckCommand.class, BaselineCommand.class, RehearseCommand.class,
        InstancesCommand.class, CommandLine.HelpCommand.class
      },
      footer = {
        "", "Exit codes: 0 ok, 1 failure, 2 usage error,",
        "            3 check: incompatible / verify: drift / rehearse: unsafe,",
        "            4 post refused by the deploy guard.",
        "Environment: TWOSTEP_URL, TWOSTEP_USER, TWOSTEP_PASSWORD",
        "             stand in for --url, --user, --password."
      })
  static final class Root implements Callable<Integer> {
    final MigrationCatalog catalog;
    final PrintWriter out;
    final PrintWriter err;
    final PrintWriter progress;
    final Map<String, String> env;
    final List<String> secrets;

    @Spec CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    Root(MigrationCatalog catalog, PrintWriter out, PrintWriter err, PrintWriter progress, Map<String, String> env,
        List<String> secrets) {
      this.catalog = catalog;
      this.out = out;
      this.err = err;
      this.progress = progress;
      this.env = env;
      this.secrets = secrets;
    }

    @Override
    public Integer call() {
      throw new ParameterException(spec.commandLine(), "missing command: one of "
          + String.join(", ", spec.subcommands().keySet()));
    }
  }

  /** Options every command takes. */
  static final class DatabaseOptions {
    @Option(names = "--url", paramLabel = "<jdbc-url>", description = "JDBC URL, e.g. jdbc:postgresql://host/db (else TWOSTEP_URL).")
    String url;

    @Option(names = "--user", description = "Database user (else TWOSTEP_USER).")
    String user;

    @Option(names = "--password", description = "Database password (else TWOSTEP_PASSWORD).")
    String password;

    @Option(names = "--urls-file", paramLabel = "<file>",
        description = "Run on every database listed in <file> (one JDBC URL per line, # comments) instead of --url.")
    Path urlsFile;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "<n>",
        description = "With --urls-file: how many databases run at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--schema", defaultValue = "public", description = "Schema of the history table (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--table", defaultValue = "twostep_history", description = "Name of the history table (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--lock-timeout", defaultValue = "2s", converter = DurationConverter.class, paramLabel = "<duration>",
        description = "lock_timeout of each migration attempt, e.g. 500ms, 2s (default: ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    @Option(names = "--deployer-lock-wait", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "<duration>",
        description = "How long to wait for another deployer to finish (default: ${DEFAULT-VALUE}).")
    Duration deployerLockWait;

    @Option(names = "--allow-downtime", description = {"Let pre apply post-migrations of older releases, and post pass the",
        "deploy guard (no old code runs); recorded in the history."})
    boolean allowDowntime;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print errors only: no target line, no progress, no result.")
    boolean quiet;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;
  }

  /** Base of the commands: builds the {@link Twostep} from the options. */
  abstract static class TwostepCommand implements Callable<Integer> {
    @ParentCommand Root root;
    @Spec CommandSpec spec;
    @Mixin DatabaseOptions database;

    /** When the command started, for the progress lines' times and the total time. */
    final long started = System.nanoTime();
    /** The database of {@code --url}; {@code null} with {@code --urls-file}. */
    JdbcTarget target;
    /** Who hears the run's events: the progress lines, JSON lines, or (--quiet) nobody. */
    MigrationListener listener = MigrationListener.slf4j();
    /** Where the deploy guard's wait for old instances reports. */
    Consumer<String> guardProgress;

    @Override
    public final Integer call() {
      checkOptions();
      if (database.quiet && json()) {
        throw usage("give either --quiet or --json, not both");
      }
      if (database.urlsFile != null) {
        guardProgress = line -> {
          synchronized (root.progress) {
            root.progress.println(line);
            root.progress.flush();
          }
        };
        return callOnManyDatabases();
      }
      String url = url();
      if (url == null || url.isBlank()) {
        throw usage("no database: pass --url or set TWOSTEP_URL");
      }
      if (!url.startsWith("jdbc:postgresql:")) {
        // the driver would only say "No suitable driver"; the masked URL is shown by the handler's masking
        throw usage("not a PostgreSQL JDBC URL: '" + url
            + "'; write jdbc:postgresql://host:5432/database" + (database.url != null ? " in --url" : " in TWOSTEP_URL"));
      }
      Twostep twostep;
      try {
        target = JdbcTarget.parse(url);
        report();
        twostep = build(url);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw usage(e.getMessage(), e);
      }
      if (database.quiet) {
        return execute(twostep, new PrintWriter(Writer.nullWriter()));
      }
      if (!json()) {
        root.out.println("Target: " + target.address() + " (history " + twostep.historyTable() + ")");
        root.out.flush();
      }
      return execute(twostep, root.out);
    }

    /**
     * A usage error, reported by picocli; read by {@link QuickArgs} (no picocli model), the
     * command line goes to picocli, which reads it again and reports the same error. Thrown before
     * anything is printed or done.
     */
    final RuntimeException usage(String message) {
      return usage(message, null);
    }

    final RuntimeException usage(String message, Throwable cause) {
      return spec == null ? new QuickArgs.Declined() : new ParameterException(spec.commandLine(), message, cause);
    }

    private String commandName() {
      return getClass().getAnnotation(Command.class).name();
    }

    /** Chooses who hears the run's events on one database. */
    private void report() {
      if (database.quiet) {
        listener = MigrationListener.none();
        guardProgress = line -> { };
      } else if (json()) {
        JsonEventLines events = new JsonEventLines(root.out, started, text -> mask(text, root.secrets));
        listener = jsonEvents() ? events : MigrationListener.none();
        guardProgress = line -> events.message("instancesWait", line);
      } else {
        ProgressLines lines = new ProgressLines(root.progress, started);
        listener = lines;
        guardProgress = line -> lines.line("guard", line);
      }
    }

    /** Whether {@code --json} means one JSON object per event (the apply commands) rather than one document. */
    boolean jsonEvents() {
      return false;
    }

    /** Adds the field {@code target} (host, port, database, history table) when on one database. */
    JsonWriter targetJson(JsonWriter w, Twostep twostep) {
      if (target == null) {
        return w;
      }
      return targetFields(w.beginObject("target"), twostep).endObject();
    }

    /** The fields {@code host}, {@code port}, {@code database}, {@code historyTable}. */
    JsonWriter targetFields(JsonWriter w, Twostep twostep) {
      return w.field("host", target.host()).field("port", target.port()).field("database", target.database())
          .field("historyTable", twostep.historyTable());
    }

    private int callOnManyDatabases() {
      if (!manyDatabases()) {
        throw usage(commandName() + " works on one database: pass --url, not --urls-file");
      }
      if (database.url != null) {
        throw usage("give either --url or --urls-file, not both");
      }
      if (database.parallel < 1) {
        throw usage("--parallel must be at least 1, got " + database.parallel);
      }
      List<String> urls;
      try {
        urls = ManyDatabases.readUrls(database.urlsFile);
      } catch (TwostepException e) {
        throw usage(e.getMessage(), e);
      }
      ManyDatabases databases = ManyDatabases.builder()
          .urls(urls)
          .parallel(database.parallel)
          .twostep(this::configure)
          .build();
      // --quiet drops the line per database; the summary, which holds the errors, stays
      return ManyDatabasesRun.run(databases, urls.size(), this::execute, changesSchema(), json(), root.out,
          database.quiet ? new PrintWriter(Writer.nullWriter()) : root.progress, text -> mask(text, root.secrets));
    }

    /** Refuses option values the catalog makes wrong, as usage errors, before connecting. */
    void checkOptions() {}

    /** A usage error unless the catalog has {@code target}'s release. */
    void requireInCatalog(Target target) {
      try {
        target.resolve(root.catalog);
      } catch (TwostepException e) {
        throw usage(e.getMessage(), e);
      }
    }

    /** Whether the command may run on the databases of {@code --urls-file}. */
    boolean manyDatabases() {
      return true;
    }

    /** Whether the command may change the schema state (then the summary reads it again afterwards). */
    boolean changesSchema() {
      return false;
    }

    /** Whether the command prints JSON. */
    boolean json() {
      return false;
    }

    private Twostep build(String url) {
      return configure(url).url(url).listener(listener).build();
    }

    private Twostep.Builder configure(String url) {
      return commandSettings(Twostep.builder())
          .user(user())
          .password(password())
          .catalog(root.catalog)
          .schema(database.schema)
          .table(database.table)
          .lockTimeout(database.lockTimeout)
          .deployerLockWait(database.deployerLockWait)
          .allowDowntime(database.allowDowntime);
    }

    /** A command's own settings on top of the database options. */
    Twostep.Builder commandSettings(Twostep.Builder builder) {
      return builder;
    }

    abstract int execute(Twostep twostep, PrintWriter out);

    /** {@code --url}, else {@code TWOSTEP_URL}. */
    final String url() {
      return database.url != null ? database.url : root.env.get("TWOSTEP_URL");
    }

    /** {@code --user}, else {@code TWOSTEP_USER}. */
    final String user() {
      return database.user != null ? database.user : root.env.get("TWOSTEP_USER");
    }

    /** {@code --password}, else {@code TWOSTEP_PASSWORD}. */
    final String password() {
      return database.password != null ? database.password : root.env.get("TWOSTEP_PASSWORD");
    }
  }

  @Command(name = "status", description = "Show the schema state, applied and pending migrations, and drift.")
  static final class StatusCommand extends TwostepCommand {
    @Option(names = "--json", description = "Print JSON for machines.")
    boolean json;

    @Override
    boolean json() {
      return json;
    }

    @Override
    int execute(Twostep twostep, PrintWriter out) {
      StatusReport status = twostep.status();
      if (json) {
        out.println(json(targetJson(new JsonWriter().beginObject(), twostep), status, twostep.instances()));
        return OK;
      }
      out.println("Catalog " + status.catalogName() + " (newest release " + status.newestRelease() + "), history "
          + status.historyTable());
      out.println("Schema state: " + status.state());
      out.println();
      TextTable table = new TextTable(Set.of(2, 5), "RELEASE", "PHASE", "STEP", "STATE", "APPLIED AT", "MS", "DESCRIPTION");
      for (StatusEntry e : status.entries()) {
        Optional<HistoryEntry> row = e.history();
        table.add(e.release(), e.phase().label(), String.valueOf(e.step()),
            e.label() + (row.filter(HistoryEntry::baseline).isPresent() ? " (baseline)" : ""),
            row.map(HistoryEntry::appliedAt).map(Printable::time).orElse(""),
            row.map(h -> String.valueOf(h.executionMs())).orElse(""), Printable.escape(e.description()));
      }
      table.print(out);
      out.println();
      status.notes().forEach(note -> out.println("note: " + note));
      long applied = status.entries().stream().filter(e -> e.state() == StatusEntry.State.APPLIED).count();
      out.println(applied + " applied, " + status.pending().size() + " pending, " + status.drift().size() + " drift");
      out.println("Live instances: " + InstancesCommand.perRelease(twostep.instances()));
      return OK;
    }

    private static String json(JsonWriter w, StatusReport status, List<LiveInstance> instances) {
      w.field("catalog", status.catalogName())
          .field("newestRelease", status.newestRelease())
          .field("historyTable", status.historyTable())
          .field("state", status.state().toString())
          .beginArray("migrations");
      for (StatusEntry e : status.entries()) {
        w.beginObject()
            .field("release", e.release())
            .field("phase", e.phase().label())
            .field("step", e.step())
            .field("description", e.description())
            .field("state", e.label().replace(' ', '_'))
            .field("kind", e.migration().map(Migration::kind).orElseGet(() -> e.history().orElseThrow().kind()))
            .field("checksum", e.migration().map(Migration::checksum).orElse(null))
            .field("appliedChecksum", e.history().map(HistoryEntry::checksum).orElse(null))
            .field("appliedAt", e.history().map(h -> h.appliedAt().toString()).orElse(null));
        if (e.history().isPresent()) {
          HistoryEntry h = e.history().get();
          w.field("executionMs", h.executionMs())
              .field("appliedBy", h.appliedBy())
              .field("baseline", h.baseline());
        }
        w.endObject();
      }
      w.endArray()
          .field("pending", status.pending().size())
          .field("drift", status.drift().size());
      return InstancesCommand.json(w, instances).endObject().toString();
    }
  }

  @Command(name = "plan", description = "Show what would run, in order, with its SQL; changes nothing.")
  static final class PlanCommand extends TwostepCommand {
    @Option(names = "--to", defaultValue = "post", converter = TargetConverter.class, paramLabel = "<target>",
        description = "pre, post, <release>, <release>:pre or <release>:post (default: ${DEFAULT-VALUE}).")
    Target target;

    @Override
    void checkOptions() {
      requireInCatalog(target);
    }

    @Override
    int execute(Twostep twostep, PrintWriter out) {
      Plan plan = twostep.plan(target);
      if (plan.migrations().isEmpty()) {
        out.println("Nothing to apply: the database is at " + plan.current() + " (target " + plan.target() + ").");
      } else {
        out.println("Plan from " + plan.current() + " to " + plan.target() + ": " + plan.migrations().size()
            + (plan.migrations().size() == 1 ? " migration" : " migrations"));
        for (Migration m : plan.migrations()) {
          out.println();
          out.println(Printable.escape(m.displayName()) + "  [" + m.kind() + (m.transactional() ? "" : ", non-transactional") + "]");
          if (m.isJava() && !m.statements().isEmpty()) {
            out.println("    Java migration " + m.className() + ": all statements but the last in one transaction,"
                + " then the last in batches until it changes no row");
          } else if (m.isJava()) {
            out.println("    Java migration " + m.className());
          }
          if (!m.statements().isEmpty()) {
            for (String line : m.sql().split("\n", -1)) {
              if (!line.isEmpty()) {
                out.println("    " + Printable.escape(line));
              }
            }
          }
          for (Waiver w : m.waivers()) {
            out.println("    waived " + w.rule() + ": " + Printable.escape(w.reason()));
          }
        }
      }
      if (plan.refused()) {
        throw new PlanRefusedException("migrate would refuse: " + plan.refusal());
      }
      return OK;
    }
  }

  /** Thrown by {@code plan} when {@code migrate} would refuse. */
  static final class PlanRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PlanRefusedException(String message) {
      super(message);
    }
  }

  /** Base of {@code pre}, {@code post} and {@code migrate}. */
  abstract static class ApplyCommand extends TwostepCommand {
    @Option(names = "--wait-for-instances", defaultValue = "0s", converter = DurationConverter.class,
        paramLabel = "<duration>", description = {"How long post waits for live instances of older releases to stop,",
        "e.g. 10m, with progress (default: ${DEFAULT-VALUE}: refuse at once)."})
    Duration waitForInstances;

    @Option(names = "--json", description = {"Print one JSON object per event and line on standard output",
        "(target, run, start, lockWait, retry, applied, failed, result or error)."})
    boolean json;

    abstract Target target();

    @Override
    Twostep.Builder commandSettings(Twostep.Builder builder) {
      return builder.waitForInstances(waitForInstances).instanceWaitProgress(line -> guardProgress.accept(line));
    }

    @Override
    boolean changesSchema() {
      return true;
    }

    @Override
    boolean json() {
      return json;
    }

    @Override
    boolean jsonEvents() {
      return true;
    }

    @Override
    int execute(Twostep twostep, PrintWriter out) {
      JsonEventLines events = json ? new JsonEventLines(out, started, text -> mask(text, root.secrets)) : null;
      if (events != null && target != null) {
        events.emit(targetFields(events.event("target"), twostep));
      }
      MigrateResult result;
      try {
        result = twostep.migrate(target());
      } catch (RuntimeException e) {
        if (events != null) {
          events.emit(events.event("error").field("exitCode", e instanceof DeployRefusedException ? REFUSED : FAILURE)
              .field("message", mask(e.getMessage() == null ? e.getClass().getName() : e.getMessage(), root.secrets)));
        }
        throw e;
      }
      long ms = (System.nanoTime() - started) / 1_000_000;
      for (String note : result.notes()) {
        if (events != null) {
          events.emit(events.event("note").field("message", note));
        } else {
          out.println("note: " + Printable.escape(note));
        }
      }
      if (events != null) {
        events.emit(events.event("result").field("before", result.before().toString())
            .field("after", result.after().toString()).field("migrations", result.applied().size()).field("ms", ms));
      } else if (result.applied().isEmpty()) {
        out.println("Nothing to apply: the database is at " + result.after() + ".");
      } else {
        out.println("Schema state: " + result.before() + " -> " + result.after() + " ("
            + ProgressLines.count(result.applied().size()) + " in " + ms + " ms)");
      }
      return OK;
    }
  }

  @Command(name = "pre", description = "Apply everything up to and including pre of the newest release.")
  static final class PreCommand extends ApplyCommand {
    @Override
    Target target() {
      return Target.newest(Phase.PRE);
    }
  }

  @Command(name = "post", description = "Apply everything up to and including post of the newest release.")
  static final class PostCommand extends ApplyCommand {
    @Override
    Target target() {
      return Target.newest(Phase.POST);
    }
  }

  @Command(name = "migrate", description = "Apply everything up to and including a target.")
  static final class MigrateCommand extends ApplyCommand {
    @Option(names = "--to", required = true, converter = TargetConverter.class, paramLabel = "<target>",
        description = "pre, post, <release>, <release>:pre or <release>:post.")
    Target target;

    @Override
    void checkOptions() {
      requireInCatalog(target);
    }

    @Override
    Target target() {
      return target;
    }
  }

  @Command(name = "verify", description = "Check that applied checksums equal the catalog's and no history row is unknown.")
  static final class VerifyCommand extends TwostepCommand {
    @Override
    int execute(Twostep twostep, PrintWriter out) {
      var report = twostep.verify();
      if (report.ok()) {
        out.println("OK: " + report.applied() + " applied migrations match catalog " + twostep.catalog().name() + ".");
        return OK;
      }
      for (Drift d : report.drift()) {
        out.println(d.kind().label() + ": " + d.message());
      }
      out.println("Drift: " + report.drift().size() + (report.drift().size() == 1 ? " problem" : " problems")
          + ", " + report.applied() + " applied migrations match.");
      return INCOMPATIBLE;
    }
  }

  @Command(name = "check", description = "Exit 0 only when code of a release may run on the current schema.")
  static final class CheckCommand extends TwostepCommand {
    @Option(names = "--release", required = true, converter = ReleaseConverter.class, paramLabel = "<release>",
        description = "The release of the code, e.g. 2.0.0.")
    Release release;

    @Override
    int execute(Twostep twostep, PrintWriter out) {
      CheckResult result = twostep.check(release);
      out.println((result.compatible() ? "compatible: " : "incompatible: ") + result.explanation());
      return result.compatible() ? OK : INCOMPATIBLE;
    }
  }

  @Command(name = "baseline", description = "Record the migrations up to a release as applied without running them.")
  static final class BaselineCommand extends TwostepCommand {
    @Override
    boolean manyDatabases() {
      return false;
    }

    @Option(names = "--release", required = true, converter = ReleaseConverter.class, paramLabel = "<release>",
        description = "The release whose schema the database already has.")
    Release release;

    @Option(names = "--trust-schema", description = {
        "Skip the proof that the database has the release's schema (by default it is compared with the",
        "catalog applied up to the release on a scratch database of the same server); recorded in the history."})
    boolean trustSchema;

    @Override
    void checkOptions() {
      requireInCatalog(Target.of(release, Phase.POST));
    }

    @Override
    int execute(Twostep twostep, PrintWriter out) {
      BaselineResult result = twostep.baseline(release, trustSchema);
      out.println("Recorded " + result.recorded() + " migrations up to " + release + ":post as applied without running them;"
          + " schema state: " + result.state() + (trustSchema ? " (schema trusted, not proven)." : " (schema proven)."));
      return OK;
    }
  }

  @Command(name = "rehearse", description = {
      "Apply the catalog release by release to two scratch databases created on the server of --url,",
      "prove with schema snapshots that every pre-migration only adds to what the previous release's",
      "code uses and that stepping through gives the schema of applying all at once, and report each",
      "migration's time and locks. The database named by --url is not changed; the scratch ones are dropped."})
  static final class RehearseCommand extends TwostepCommand {
    @Override
    boolean manyDatabases() {
      return false;
    }

    @Override
    int execute(Twostep twostep, PrintWriter out) {
      String url = url();
      RehearsalReport report = Rehearsal.builder()
          .catalog(root.catalog)
          .server(url,
              user(),
              password())
          .historyTable(database.schema, database.table)
          .lockTimeout(database.lockTimeout)
          .build()
          .run();
      out.print(report.render());
      out.flush();
      return report.passed() ? OK : INCOMPATIBLE;
    }
  }

  @Command(name = "instances", description = "List the application instances that are live now, by release.")
  static final class InstancesCommand extends TwostepCommand {
    @Option(names = "--json", description = "Print JSON for machines.")
    boolean json;

    @Override
    boolean json() {
      return json;
    }

    @Override
    int execute(Twostep twostep, PrintWriter out) {
      List<LiveInstance> live = twostep.instances();
      if (json) {
        out.println(json(targetJson(new JsonWriter().beginObject(), twostep), live).endObject());
        return OK;
      }
      out.println("Live instances: " + perRelease(live));
      if (!live.isEmpty()) {
        out.println();
        TextTable table = new TextTable(Set.of(2), "RELEASE", "HOST", "PID", "INSTANCE", "STARTED", "LAST SEEN");
        for (LiveInstance i : sorted(live)) {
          table.add(i.release(), i.host(), String.valueOf(i.pid()), i.instanceId(), Printable.time(i.startedAt()),
              Printable.time(i.lastSeen()));
        }
        table.print(out);
      }
      return OK;
    }

    /** {@code 1.0.0: 2, 2.0.0: 1}, or {@code none}. */
    static String perRelease(List<LiveInstance> live) {
      if (live.isEmpty()) {
        return "none";
      }
      Map<String, Long> counts = new java.util.LinkedHashMap<>();
      for (LiveInstance i : sorted(live)) {
        counts.merge(i.release(), 1L, Long::sum);
      }
      List<String> parts = new ArrayList<>();
      counts.forEach((release, n) -> parts.add(release + ": " + n));
      return String.join(", ", parts);
    }

    private static List<LiveInstance> sorted(List<LiveInstance> live) {
      List<LiveInstance> sorted = new ArrayList<>(live);
      sorted.sort(java.util.Comparator.comparing((LiveInstance i) -> Release.isValid(i.release())
              ? Release.parse(i.release()) : Release.parse("0"))
          .thenComparing(LiveInstance::startedAt).thenComparing(LiveInstance::instanceId));
      return sorted;
    }

    /** Adds the field {@code instances}: one object per live instance. */
    static JsonWriter json(JsonWriter w, List<LiveInstance> live) {
      w.beginArray("instances");
      for (LiveInstance i : sorted(live)) {
        w.beginObject()
            .field("instanceId", i.instanceId())
            .field("release", i.release())
            .field("host", i.host())
            .field("pid", i.pid())
            .field("startedAt", i.startedAt().toString())
            .field("lastSeen", i.lastSeen().toString())
            .field("leaseMs", i.lease().toMillis())
            .endObject();
      }
      return w.endArray();
    }
  }

  /** Reads {@code --to}. */
  static final class TargetConverter implements ITypeConverter<Target> {
    @Override
    public Target convert(String value) {
      try {
        return Target.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Reads {@code --release}. */
  static final class ReleaseConverter implements ITypeConverter<Release> {
    @Override
    public Release convert(String value) {
      try {
        return Release.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Reads durations: {@code 500ms}, {@code 2s}, {@code 1m}, ISO-8601 {@code PT2S}, or plain milliseconds. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|min)?", Pattern.CASE_INSENSITIVE);

    @Override
    public Duration convert(String value) {
      Matcher m = SIMPLE.matcher(value.trim());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        switch (unit) {
          case "s":
            return Duration.ofSeconds(n);
          case "m":
          case "min":
            return Duration.ofMinutes(n);
          default:
            return Duration.ofMillis(n);
        }
      }
      try {
        return Duration.parse(value.trim());
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration: write e.g. 500ms, 2s, 1m or PT2S");
      }
    }
  }
}
