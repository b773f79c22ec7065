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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The template databases of one test run: one per (catalog, state), built on first use by
 * applying the catalog with Twostep, and copied with {@code CREATE DATABASE ... TEMPLATE} for
 * each test; also the rehearsal of each catalog. Thread-safe: concurrent tests asking for one
 * state wait for a single build. Closing drops the templates (once, whichever of the two close
 * contracts the JUnit line calls).
 */
final class StateTemplates implements AutoCloseable, ExtensionContext.Store.CloseableResource {
  private record Key(Class<?> catalog, SchemaState state) {}

  private final TestPostgres server;
  private final ConcurrentHashMap<Class<?>, MigrationCatalog> catalogs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, CompletableFuture<TestDatabase>> templates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, CompletableFuture<RehearsalReport>> rehearsals = new ConcurrentHashMap<>();

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

  /** A new database at {@code state} of the catalog; the caller drops it. */
  TestDatabase create(Class<? extends MigrationCatalog> catalogClass, SchemaState state) {
    MigrationCatalog catalog = catalog(catalogClass);
    String hint = catalog.name() + " " + state;
    if (state.isEmpty()) {
      return server.createDatabase(hint);
    }
    TestDatabase template = once(templates, new Key(catalogClass, state), build(catalog, state));
    return server.createDatabase(hint, template.name());
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

  /** Drops every template built. */
  @Override
  public void close() {
    List<TestDatabase> built = new ArrayList<>();
    for (CompletableFuture<TestDatabase> future : templates.values()) {
      if (future.isDone() && !future.isCompletedExceptionally()) {
        built.add(future.join());
      }
    }
    templates.clear();
    built.forEach(TestDatabase::close);
  }
}
