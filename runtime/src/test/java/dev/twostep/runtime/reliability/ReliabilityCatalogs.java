package dev.twostep.runtime.reliability;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.concurrentIndex;
import static dev.twostep.runtime.TestCatalog.sql;

import dev.twostep.ConcurrentIndexBuild;
import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.TestCatalog;

/**
 * The catalogs of the reliability tests, by name, so that a deployer in another JVM
 * ({@link Deployer}) runs exactly the catalog the test inspects. Long statements sleep for the
 * custom setting {@code twostep_test.sleep} (seconds), which a test sets per database with
 * {@code ALTER DATABASE ... SET}: long while a test kills or disconnects a deployer, zero for the
 * re-run, without changing the migration's checksum.
 */
final class ReliabilityCatalogs {
  static final String SLEEP = "pg_sleep(coalesce(nullif(current_setting('twostep_test.sleep', true), ''), '0')::float8)";

  private ReliabilityCatalogs() {}

  /** Several releases; every migration records its effect, so that a second application shows. */
  static final TestCatalog CONCURRENT = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create effects",
          "CREATE TABLE effects (migration text NOT NULL, pid int NOT NULL DEFAULT pg_backend_pid())",
          "INSERT INTO effects (migration) VALUES ('1.0.0:pre#1')"),
      sql("1.0.0", PRE, 2, "create jobs",
          "CREATE TABLE jobs (id int PRIMARY KEY, queue text NOT NULL)",
          "INSERT INTO effects (migration) VALUES ('1.0.0:pre#2')",
          "SELECT pg_sleep(0.2)"),
      sql("1.0.0", POST, 1, "fill jobs",
          "INSERT INTO jobs SELECT g, 'q' || (g % 4) FROM generate_series(1, 2000) g",
          "INSERT INTO effects (migration) VALUES ('1.0.0:post#1')"),
      sql("2.0.0", PRE, 1, "add priority",
          "ALTER TABLE jobs ADD COLUMN priority int NOT NULL DEFAULT 0",
          "INSERT INTO effects (migration) VALUES ('2.0.0:pre#1')",
          "SELECT pg_sleep(0.2)"),
      concurrentIndex("2.0.0", PRE, 2, "index queue", "CREATE INDEX CONCURRENTLY jobs_queue_idx ON jobs (queue)",
          ConcurrentIndexBuild.of(null, "jobs", "jobs_queue_idx", false, false, "(queue)")),
      sql("2.0.0", POST, 1, "bump priority",
          "UPDATE jobs SET priority = priority + 1",
          "INSERT INTO effects (migration) VALUES ('2.0.0:post#1')"));

  /** Release 1.0.0 whose second pre-migration sleeps between its DDL statements. */
  static final TestCatalog SLOW_TRANSACTION = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create kept", "CREATE TABLE kept (id int)"),
      sql("1.0.0", PRE, 2, "create half",
          "CREATE TABLE half (id int)",
          "INSERT INTO half VALUES (1)",
          "SELECT " + SLEEP,
          "CREATE TABLE half_end (id int)"),
      sql("1.0.0", POST, 1, "fill half", "INSERT INTO half VALUES (2)"));

  /** A table, then a slow {@code CREATE INDEX CONCURRENTLY}: the index expression sleeps per row. */
  static final TestCatalog SLOW_INDEX = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create items",
          "CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 100) g",
          "CREATE FUNCTION slow_id(i int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM "
              + SLEEP.replace("::float8)", "::float8 / 100)") + "; RETURN i; END $$"),
      concurrentIndex("1.0.0", PRE, 2, "index items", "CREATE INDEX CONCURRENTLY items_slow_idx ON items (slow_id(id))",
          ConcurrentIndexBuild.of(null, "items", "items_slow_idx", false, false, "(slow_id(id))")));

  /** Like {@link #SLOW_INDEX}, but a unique index. */
  static final TestCatalog SLOW_UNIQUE_INDEX = TestCatalog.of(
      SLOW_INDEX.migrations().get(0),
      concurrentIndex("1.0.0", PRE, 2, "unique items", "CREATE UNIQUE INDEX CONCURRENTLY items_slow_key ON items (slow_id(id))",
          ConcurrentIndexBuild.of(null, "items", "items_slow_key", true, false, "(slow_id(id))")));

  /** A migration whose SQL PostgreSQL rejects on its third line. */
  static final TestCatalog REJECTED = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
      sql("1.0.0", PRE, 2, "bad column",
          "ALTER TABLE jobs ADD COLUMN queue text",
          "UPDATE jobs SET queue = 'default'",
          "ALTER TABLE jobs ADD COLUMN priority integr"));

  /** Three releases, each with one pre- and one post-migration, as in a blue-green cycle. */
  static final TestCatalog BLUE_GREEN = TestCatalog.blueGreen(3);

  static MigrationCatalog named(String name) {
    switch (name) {
      case "blue-green":
        return BLUE_GREEN;
      case "concurrent":
        return CONCURRENT;
      case "slow-transaction":
        return SLOW_TRANSACTION;
      case "slow-index":
        return SLOW_INDEX;
      case "slow-unique-index":
        return SLOW_UNIQUE_INDEX;
      case "rejected":
        return REJECTED;
      default:
        throw new IllegalArgumentException("no test catalog " + name);
    }
  }
}
