package dev.twostep.runtime;

import dev.twostep.runtime.TwostepException.Reason;
import dev.twostep.runtime.internal.Redaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one action (a deploy, a check, a status read) on many databases that share a catalog, for
 * products with a database per tenant: each database gets its own {@link Twostep} (its own
 * deployer lock, history and deploy guard), at most {@link Builder#parallel} run at once, and a
 * failure on one database does not stop the others. Running again resumes: the databases that
 * finished find nothing left to do.
 *
 * <pre>{@code
 * List<ManyDatabases.Outcome<MigrateResult>> outcomes = ManyDatabases.builder()
 *     .urls(ManyDatabases.readUrls(Path.of("tenants.txt")))
 *     .parallel(8)
 *     .twostep(url -> Twostep.builder().url(url).user("deployer").catalog(new ShopMigrations()))
 *     .build()
 *     .run(Twostep::pre, outcome -> log.info("{}", outcome));
 * }</pre>
 */
public final class ManyDatabases {
  private final List<String> urls;
  private final int parallel;
  private final Function<String, Twostep.Builder> twostep;

  private ManyDatabases(Builder b) {
    this.urls = List.copyOf(b.urls);
    this.parallel = b.parallel;
    this.twostep = b.twostep;
  }

  /** A new builder; {@link Builder#urls} and {@link Builder#twostep} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The JDBC URLs of a file: one per line; blank lines and lines starting with {@code #} are
   * skipped, as is anything after {@code " #"} on a line.
   *
   * @throws TwostepException when the file cannot be read, a line is not a PostgreSQL JDBC URL
   *     (the message names the line, never a password), a URL is listed twice, or there is none
   */
  public static List<String> readUrls(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TwostepException(Reason.INVALID_REQUEST, "cannot read the list of databases " + file + ": " + e);
    }
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int comment = line.indexOf(" #");
      String url = (comment >= 0 ? line.substring(0, comment) : line).strip();
      if (url.isEmpty() || url.startsWith("#")) {
        continue;
      }
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new TwostepException(Reason.INVALID_REQUEST, file + " line " + (i + 1) + ": '" + Redaction.maskUrl(url)
            + "' is not a PostgreSQL JDBC URL; write one jdbc:postgresql://host:5432/database per line");
      }
      if (urls.contains(url)) {
        throw new TwostepException(Reason.INVALID_REQUEST, file + " line " + (i + 1) + ": " + Redaction.maskUrl(url)
            + " is listed twice; each database must be deployed once");
      }
      urls.add(url);
    }
    if (urls.isEmpty()) {
      throw new TwostepException(Reason.INVALID_REQUEST, file + " lists no database: write one jdbc:postgresql://host:5432/database per line");
    }
    return List.copyOf(urls);
  }

  /**
   * Runs {@code action} on every database, at most {@link Builder#parallel} at once, and returns
   * one outcome per database in the order of the URLs. {@code progress} hears each outcome as it
   * finishes (from the worker threads, one call at a time).
   */
  public <T> List<Outcome<T>> run(Function<Twostep, T> action, Consumer<Outcome<T>> progress) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(progress, "progress");
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, urls.size()), r -> {
      Thread t = new Thread(r, "twostep-database-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Outcome<T>>> futures = new ArrayList<>();
      for (int i = 0; i < urls.size(); i++) {
        String url = urls.get(i);
        int index = i;
        futures.add(pool.submit(() -> {
          Outcome<T> outcome = runOne(index, url, action);
          synchronized (progress) {
            progress.accept(outcome);
          }
          return outcome;
        }));
      }
      List<Outcome<T>> outcomes = new ArrayList<>();
      for (Future<Outcome<T>> f : futures) {
        outcomes.add(f.get());
      }
      return List.copyOf(outcomes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TwostepException(Reason.INTERRUPTED, "interrupted while deploying " + urls.size() + " databases", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a database's run escaped its own error handling", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private <T> Outcome<T> runOne(int index, String url, Function<Twostep, T> action) {
    long start = System.nanoTime();
    String shown = Redaction.maskUrl(url);
    try {
      T result = action.apply(twostep.apply(url).url(url).build());
      return Outcome.succeeded(index, shown, result, Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException e) {
      // one database's failure is its own: the others go on
      return Outcome.failed(index, shown, e, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /**
   * What happened on one database: the action's result, or the exception that ended it.
   * Immutable.
   *
   * @param <T> what the action returns
   */
  public static final class Outcome<T> {
    private final int index;
    private final String database;
    private final Optional<T> result;
    private final Optional<RuntimeException> failure;
    private final Duration time;

    private Outcome(int index, String database, Optional<T> result, Optional<RuntimeException> failure, Duration time) {
      this.index = index;
      this.database = Objects.requireNonNull(database, "database");
      this.result = result;
      this.failure = failure;
      this.time = Objects.requireNonNull(time, "time");
    }

    /** The action returned {@code result} (which may be {@code null}: {@link #result()} is then empty). */
    static <T> Outcome<T> succeeded(int index, String database, T result, Duration time) {
      return new Outcome<>(index, database, Optional.ofNullable(result), Optional.empty(), time);
    }

    /** The action threw {@code failure}. */
    static <T> Outcome<T> failed(int index, String database, RuntimeException failure, Duration time) {
      return new Outcome<>(index, database, Optional.empty(), Optional.of(failure), time);
    }

    /** Its position in the list of URLs (0-based). */
    public int index() {
      return index;
    }

    /** Its JDBC URL with any password masked. */
    public String database() {
      return database;
    }

    /** What the action returned; empty when it failed. */
    public Optional<T> result() {
      return result;
    }

    /** Why it failed (usually a {@link TwostepException}); empty when it succeeded. */
    public Optional<RuntimeException> failure() {
      return failure;
    }

    /** How long it took. */
    public Duration time() {
      return time;
    }

    /** True when the action returned normally. */
    public boolean succeeded() {
      return failure.isEmpty();
    }

    /** {@code 2 jdbc:postgresql://h/db: succeeded in PT1.2S}, or {@code failed: <exception>}. */
    @Override
    public String toString() {
      return index + " " + database + ": " + failure.map(f -> "failed: " + f).orElse("succeeded") + " in " + time;
    }
  }

  /** Configures {@link ManyDatabases}. */
  public static final class Builder {
    private List<String> urls = List.of();
    private int parallel = 4;
    private Function<String, Twostep.Builder> twostep;

    private Builder() {}

    /** The databases, as JDBC URLs (see {@link #readUrls}). */
    public Builder urls(List<String> urls) {
      this.urls = List.copyOf(urls);
      return this;
    }

    /** How many databases run at once (default 4). */
    public Builder parallel(int parallel) {
      if (parallel < 1) {
        throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
      }
      this.parallel = parallel;
      return this;
    }

    /**
     * The configuration of each database's {@link Twostep} (catalog, credentials, history table,
     * timeouts), given its URL; the URL is set on the returned builder afterwards.
     */
    public Builder twostep(Function<String, Twostep.Builder> twostep) {
      this.twostep = Objects.requireNonNull(twostep, "twostep");
      return this;
    }

    /**
     * Builds the runner.
     *
     * @throws IllegalStateException without URLs or without {@link #twostep}
     */
    public ManyDatabases build() {
      if (urls.isEmpty()) {
        throw new IllegalStateException("no database: give at least one URL");
      }
      if (twostep == null) {
        throw new IllegalStateException("no configuration: call twostep(url -> Twostep.builder()...)");
      }
      return new ManyDatabases(this);
    }
  }
}
