package dev.twostep.junit;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.snapshot.Rehearsal;
import dev.twostep.runtime.snapshot.RehearsalReport;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The template databases of one test run: one per (catalog, state), built on first use by
 * applying the catalog with Twostep, and copied with {@code CREATE DATABASE ... TEMPLATE} for
 * each test; also the rehearsal of each catalog. Thread-safe: concurrent tests asking for one
 * state wait for a single build. A state used more than once has its next copy made, and used
 * copies dropped, on a background thread while the tests run. Closing waits for that, then drops
 * what is left and the templates (once, whichever of the two close contracts the JUnit line
 * calls).
 */
final class StateTemplates implements AutoCloseable, ExtensionContext.Store.CloseableResource {
  private record Key(Class<?> catalog, SchemaState state) {}

  private final TestPostgres server;
  private final ConcurrentHashMap<Class<?>, MigrationCatalog> catalogs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, CompletableFuture<TestDatabase>> templates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, CompletableFuture<RehearsalReport>> rehearsals = new ConcurrentHashMap<>();
  /** How many copies of each state were handed out. */
  private final ConcurrentHashMap<Key, AtomicInteger> uses = new ConcurrentHashMap<>();
  /** The next copy of a state, made while the tests run: at most one per state. */
  private final ConcurrentHashMap<Key, CompletableFuture<TestDatabase>> prepared = new ConcurrentHashMap<>();
  /**
   * Makes the prepared copies and drops the used ones, one statement at a time, so that a test
   * waits neither for its copy ({@code CREATE DATABASE ... TEMPLATE}) nor for the previous test's
   * {@code DROP DATABASE}, and the server is not flooded.
   */
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "twostep-test-databases");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<RuntimeException> backgroundFailure = new AtomicReference<>();
  private volatile boolean closed;

  StateTemplates(TestPostgres server) {
    this.server = server;
  }

  /** The one instance of {@code catalogClass} of this run, made with its no-argument constructor. */
  MigrationCatalog catalog(Class<? extends MigrationCatalog> catalogClass) {
    return catalogs.computeIfAbsent(catalogClass, StateTemplates::instantiate);
  }

  private static MigrationCatalog instantiate(Class<?> catalogClass) {
    try {
      var constructor = catalogClass.getDeclaredConstructor();
      constructor.setAccessible(true);
      return (MigrationCatalog) constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot create catalog " + catalogClass.getName()
          + ": it needs a no-argument constructor (" + e + ")", e);
    }
  }

  /**
   * A new database at {@code state} of the catalog; give it back to {@link #drop}. From the
   * second copy of a state on, the next copy is made in the background while the test runs.
   */
  TestDatabase create(Class<? extends MigrationCatalog> catalogClass, SchemaState state) {
    MigrationCatalog catalog = catalog(catalogClass);
    String hint = catalog.name() + " " + state;
    Key key = new Key(catalogClass, state);
    String template = state.isEmpty() ? null : once(templates, key, build(catalog, state)).name();
    TestDatabase database = null;
    CompletableFuture<TestDatabase> ready = prepared.remove(key);
    if (ready != null) {
      try {
        database = ready.join();
      } catch (CompletionException | CancellationException e) {
        database = null; // made again below, where a failure is the test's to report
      }
    }
    if (database == null) {
      database = server.createDatabase(hint, template);
    }
    if (uses.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() >= 2 && !closed) {
      try {
        prepared.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> server.createDatabase(hint, template), background));
      } catch (RejectedExecutionException e) {
        // closing: no more copies ahead
      }
    }
    return database;
  }

  /** Drops a database {@link #create} made, in the background; {@link #close} waits for it. */
  void drop(TestDatabase database) {
    CompletableFuture<Void> dropping;
    try {
      dropping = closed ? null : CompletableFuture.runAsync(database::close, background);
    } catch (RejectedExecutionException e) {
      dropping = null;
    }
    if (dropping == null) {
      database.close();
      return;
    }
    dropping.whenComplete((ignored, failure) -> {
      if (failure != null) {
        backgroundFailure.compareAndSet(null, new IllegalStateException("cannot drop test database "
            + database.name() + ": " + failure.getMessage(), failure));
      }
    });
  }

  private Supplier<TestDatabase> build(MigrationCatalog catalog, SchemaState state) {
    return () -> {
      TestDatabase template = server.createDatabase("tpl " + catalog.name() + " " + state);
      try {
        Twostep.builder().dataSource(template.dataSource()).catalog(catalog).build()
            .migrate(Target.of(state.release(), state.phase()));
        return template;
      } catch (RuntimeException e) {
        template.close();
        throw new IllegalStateException("cannot build the database of catalog " + catalog.name() + " at " + state + ": "
            + e.getMessage(), e);
      }
    };
  }

  /** The rehearsal of the catalog, run once per test run on two scratch databases. */
  RehearsalReport rehearsal(Class<? extends MigrationCatalog> catalogClass) {
    MigrationCatalog catalog = catalog(catalogClass);
    return once(rehearsals, catalogClass, () -> {
      try (TestDatabase stepwise = server.createDatabase("rehearse " + catalog.name());
          TestDatabase whole = server.createDatabase("rehearse " + catalog.name())) {
        return Rehearsal.builder().catalog(catalog).databases(stepwise.dataSource(), whole.dataSource()).build().run();
      }
    });
  }

  /**
   * The value of {@code key}, computed by the first caller outside the map's locks while later
   * callers wait for it; a failure is remembered too, so a broken catalog fails fast for every
   * test that needs it.
   */
  private static <K, T> T once(ConcurrentHashMap<K, CompletableFuture<T>> map, K key, Supplier<T> compute) {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> existing = map.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        mine.complete(compute.get());
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
      }
      existing = mine;
    }
    try {
      return existing.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }

  /**
   * Waits for the background drops, drops the copies prepared but not used, then every template
   * built.
   *
   * @throws IllegalStateException when a background drop failed (the database is left behind)
   */
  @Override
  public void close() {
    closed = true;
    background.shutdown();
    try {
      if (!background.awaitTermination(2, TimeUnit.MINUTES)) {
        backgroundFailure.compareAndSet(null, new IllegalStateException(
            "test databases still being created or dropped after 2 minutes"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (CompletableFuture<TestDatabase> ready : prepared.values()) {
      if (ready.isDone() && !ready.isCompletedExceptionally()) {
        ready.join().close();
      }
    }
    prepared.clear();
    List<TestDatabase> built = new ArrayList<>();
    for (CompletableFuture<TestDatabase> future : templates.values()) {
      if (future.isDone() && !future.isCompletedExceptionally()) {
        built.add(future.join());
      }
    }
    templates.clear();
    built.forEach(TestDatabase::close);
    RuntimeException failure = backgroundFailure.get();
    if (failure != null) {
      throw failure;
    }
  }
}
