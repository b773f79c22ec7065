package dev.twostep.runtime.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.SqlStatement;
import dev.twostep.Waiver;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.internal.JdbcTarget;
import dev.twostep.runtime.snapshot.RehearsalReport.LockUse;
import dev.twostep.runtime.snapshot.RehearsalReport.MigrationResult;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RehearsalTest {
  private final List<TestDatabase> databases = new ArrayList<>();

  @AfterEach
  void dropDatabases() {
    databases.forEach(TestDatabase::close);
  }

  private TestDatabase database() {
    TestDatabase db = TestPostgres.shared().createDatabase("rehearsal");
    databases.add(db);
    return db;
  }

  private RehearsalReport rehearse(MigrationCatalog catalog) {
    return Rehearsal.builder().catalog(catalog).databases(database().dataSource(), database().dataSource()).build().run();
  }

  static Migration sql(String release, Phase phase, int step, String sql, Waiver... waivers) {
    return Migration.sql(release, phase, step, "step " + step, "test.M" + release.replace('.', '_') + phase + step,
        Integer.toHexString(sql.hashCode()), !sql.contains("CONCURRENTLY"), List.of(waivers), List.of(new SqlStatement(1, sql)));
  }

  static MigrationCatalog catalog(Migration... migrations) {
    return new MigrationCatalog() {
      @Override
      public String name() {
        return "Test";
      }

      @Override
      public List<Migration> migrations() {
        return List.of(migrations);
      }
    };
  }

  private static final Migration CREATE_JOBS = sql("1.0.0", Phase.PRE, 1, """
      CREATE TABLE shop_jobs (id bigserial PRIMARY KEY, queue text NOT NULL, state text NOT NULL DEFAULT 'new');
      CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql AS
        $$ SELECT id FROM shop_jobs WHERE queue = p_queue ORDER BY id LIMIT 1 $$""");

  @Test
  void anExpandThenContractCatalogPasses() {
    RehearsalReport report = rehearse(catalog(
        CREATE_JOBS,
        sql("2.0.0", Phase.PRE, 1, """
            ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0;
            CREATE FUNCTION shop_fetch_job_v2(p_queue text) RETURNS bigint LANGUAGE sql AS
              $$ SELECT id FROM shop_jobs WHERE queue = p_queue ORDER BY priority DESC, id LIMIT 1 $$"""),
        sql("2.0.0", Phase.PRE, 2, "CREATE INDEX CONCURRENTLY shop_jobs_priority_idx ON shop_jobs (priority)"),
        sql("2.0.0", Phase.POST, 1, "DROP FUNCTION shop_fetch_job_v1(text); ALTER TABLE shop_jobs DROP COLUMN state")));

    assertThat(report.passed()).as(report.render()).isTrue();
    assertThat(report.phases()).extracting(p -> p.state().toString()).containsExactly("1.0.0:pre", "2.0.0:pre", "2.0.0:post");
    assertThat(report.phases().get(1).migrations()).extracting(m -> m.migration().step()).containsExactly(1, 2);
    assertThat(report.phases().get(2).diff().removed()).extracting(SchemaDiff.Change::name)
        .contains("public.shop_fetch_job_v1(p_queue text)", "public.shop_jobs.state");
    assertThat(report.wholeVsStepwise().isEmpty()).isTrue();
    assertThat(report.render())
        .contains("Rehearsal of catalog Test: PASSED")
        .contains("2.0.0:post: 1 migration, ")
        .contains("Whole catalog in one go: same schema as step by step");
  }

  @Test
  void aPreMigrationThatDropsAColumnInADoBlockFailsNamingTheColumn() {
    RehearsalReport report = rehearse(catalog(
        CREATE_JOBS,
        sql("2.0.0", Phase.PRE, 1, "DO $$ BEGIN EXECUTE 'ALTER TABLE shop_jobs DROP COLUMN state'; END $$")));

    assertThat(report.passed()).isFalse();
    assertThat(report.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(RehearsalReport.Kind.PRE_CONTRACT);
      assertThat(v.state()).isEqualTo(SchemaState.parse("2.0.0:pre"));
      assertThat(v.changes()).extracting(SchemaDiff.Change::describe)
          .containsExactly("removed column public.shop_jobs.state (text NOT NULL DEFAULT 'new'::text)");
    });
    assertThat(report.render()).contains(
        "[pre-contract] pre-migrations of 2.0.0 removed or changed what code of release 1.0.0 may still use",
        "removed column public.shop_jobs.state (text NOT NULL DEFAULT 'new'::text)");
  }

  @Test
  void aWaivedPreContractIsReportedButPasses() {
    RehearsalReport report = rehearse(catalog(
        CREATE_JOBS,
        sql("2.0.0", Phase.PRE, 1, "ALTER TABLE shop_jobs DROP COLUMN state",
            new Waiver("pre-contract", "release 1.0.0 never reads state"))));

    assertThat(report.passed()).isTrue();
    assertThat(report.waived()).singleElement().satisfies(v ->
        assertThat(v.message()).contains("waived: release 1.0.0 never reads state"));
  }

  @Test
  void checkedFromExemptsOlderReleases() {
    Migration dropInPre = sql("2.0.0", Phase.PRE, 1, "ALTER TABLE shop_jobs DROP COLUMN state");
    RehearsalReport report = Rehearsal.builder().catalog(catalog(CREATE_JOBS, dropInPre)).checkedFrom("3")
        .databases(database().dataSource(), database().dataSource()).build().run();

    assertThat(report.passed()).isTrue();
  }

  @Test
  void sessionStateSetByAMigrationNoLongerMakesOneGoDifferFromSteps() {
    // SET without LOCAL outlives the migration's transaction, but each migration starts from a clean
    // session: in one go as step by step, release 2.0.0's unqualified table lands in public
    RehearsalReport report = rehearse(catalog(
        sql("1.0.0", Phase.PRE, 1, "CREATE SCHEMA app; SET search_path TO app, public; CREATE TABLE app_settings (k text)"),
        sql("2.0.0", Phase.PRE, 1, "CREATE TABLE shop_audit (id int)")));

    assertThat(report.passed()).as(report.render()).isTrue();
  }

  @Test
  void reportsTimingsAndTheLocksEachMigrationHeld() {
    RehearsalReport report = rehearse(catalog(
        CREATE_JOBS,
        sql("2.0.0", Phase.PRE, 1, "CREATE TABLE shop_tags (name text)"),
        sql("2.0.0", Phase.PRE, 2, "ALTER TABLE shop_jobs ADD COLUMN note text; SELECT pg_sleep(0.3)"),
        sql("2.0.0", Phase.PRE, 3, "LOCK TABLE shop_tags IN SHARE MODE; SELECT pg_sleep(0.15)")));

    assertThat(report.passed()).as(report.render()).isTrue();
    List<MigrationResult> pre = report.phases().get(1).migrations();
    assertThat(pre.get(1).executionMs()).isGreaterThanOrEqualTo(300);
    assertThat(pre.get(1).locks()).first().satisfies(lock -> {
      assertThat(lock.relation()).isEqualTo("public.shop_jobs");
      assertThat(lock.mode()).isEqualTo("AccessExclusiveLock");
      assertThat(lock.blocksReads()).isTrue();
      assertThat(lock.samples()).isGreaterThan(3);
    });
    assertThat(pre.get(2).locks()).extracting(LockUse::relation, LockUse::mode)
        .contains(org.assertj.core.groups.Tuple.tuple("public.shop_tags", "ShareLock"))
        .doesNotContain(org.assertj.core.groups.Tuple.tuple("public.shop_jobs", "AccessExclusiveLock"));
    assertThat(report.render()).contains("AccessExclusiveLock on table public.shop_jobs (blocks reads and writes, ");
  }

  @Test
  void reportsTheStrongestLockOnAnExistingTableAndTheRewritesOfEachMigrationHoweverShort() {
    RehearsalReport report = rehearse(catalog(
        CREATE_JOBS,
        sql("2.0.0", Phase.PRE, 1, "ALTER TABLE shop_jobs ADD COLUMN note text"),
        sql("2.0.0", Phase.PRE, 2, "CREATE TABLE shop_tags (name text); CREATE INDEX shop_tags_name ON shop_tags (name)"),
        sql("2.0.0", Phase.PRE, 3, "CREATE INDEX shop_jobs_queue ON shop_jobs (queue)"),
        sql("2.0.0", Phase.POST, 1, "DO $$ BEGIN EXECUTE 'ALTER TABLE shop_jobs ALTER COLUMN id TYPE numeric'; END $$"),
        sql("2.0.0", Phase.POST, 2, "CREATE INDEX CONCURRENTLY shop_jobs_state ON shop_jobs (state)"),
        sql("2.0.0", Phase.POST, 3, "SELECT count(*) FROM shop_jobs")));

    assertThat(report.passed()).as(report.render()).isTrue();
    List<MigrationResult> pre = report.phases().get(1).migrations();
    assertThat(pre.get(0).strongestLock()).isEqualTo(new RehearsalReport.TableLock("public.shop_jobs", "AccessExclusiveLock"));
    assertThat(pre.get(0).rewrittenTables()).as("a nullable column without default is only catalog work").isEmpty();
    assertThat(pre.get(1).strongestLock()).as("only its own new table").isNull();
    assertThat(pre.get(2).strongestLock()).satisfies(lock -> {
      assertThat(lock).isEqualTo(new RehearsalReport.TableLock("public.shop_jobs", "ShareLock"));
      assertThat(lock.blocksWrites()).isTrue();
      assertThat(lock.blocksReads()).isFalse();
    });
    List<MigrationResult> post = report.phases().get(2).migrations();
    assertThat(post.get(0).rewrittenTables()).as("the DO block rewrote the table").containsExactly("public.shop_jobs");
    assertThat(post.get(0).strongestLock().mode()).isEqualTo("AccessExclusiveLock");
    assertThat(post.get(1).rewrittenTables()).isEmpty();
    assertThat(post.get(1).strongestLock()).as("a concurrent build never blocks writes")
        .satisfies(lock -> assertThat(lock == null || !lock.blocksWrites()).isTrue());
    assertThat(post.get(2).strongestLock()).isEqualTo(new RehearsalReport.TableLock("public.shop_jobs", "AccessShareLock"));
    assertThat(report.render())
        .contains("strongest lock on an existing table: AccessExclusiveLock on public.shop_jobs (blocks reads and writes)\n")
        .contains("strongest lock on an existing table: ShareLock on public.shop_jobs (blocks writes)\n")
        .contains("rewrote existing table public.shop_jobs (new relfilenode)\n");
  }

  @Test
  void seesWhatAJavaMigrationLockedAndRewrote() {
    Migration javaRewrite = Migration.java("2.0.0", Phase.POST, 1, "widen ids", "test.WidenIds", "0", true, List.of(),
        () -> context -> {
          try (Statement s = context.connection().createStatement()) {
            s.execute("ALTER TABLE shop_jobs ALTER COLUMN id TYPE numeric");
          }
        });
    RehearsalReport report = rehearse(catalog(CREATE_JOBS, javaRewrite));

    assertThat(report.passed()).as(report.render()).isTrue();
    MigrationResult widen = report.phases().get(1).migrations().get(0);
    assertThat(widen.rewrittenTables()).containsExactly("public.shop_jobs");
    assertThat(widen.strongestLock()).isEqualTo(new RehearsalReport.TableLock("public.shop_jobs", "AccessExclusiveLock"));
  }

  @Test
  void aFailingMigrationIsReportedAndStopsTheRehearsal() {
    RehearsalReport report = rehearse(catalog(
        CREATE_JOBS,
        sql("2.0.0", Phase.PRE, 1, "ALTER TABLE shop_jobz ADD COLUMN note text"),
        sql("2.0.0", Phase.POST, 1, "ALTER TABLE shop_jobs DROP COLUMN state")));

    assertThat(report.passed()).isFalse();
    assertThat(report.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(RehearsalReport.Kind.MIGRATION_FAILED);
      assertThat(v.message()).contains("42P01");
    });
    assertThat(report.phases()).hasSize(2);
    assertThat(report.phases().get(1).migrations()).singleElement().satisfies(m -> assertThat(m.failed()).isTrue());
    assertThat(report.wholeVsStepwise()).isNull();
  }

  @Test
  void onAServerItCreatesAndDropsItsScratchDatabases() throws SQLException {
    TestDatabase admin = database();
    Set<String> before = rehearsalDatabases(admin);
    RehearsalReport report = Rehearsal.builder().catalog(catalog(CREATE_JOBS))
        .server(admin.url(), admin.user(), admin.password()).build().run();

    assertThat(report.passed()).as(report.render()).isTrue();
    assertThat(report.phases()).hasSize(1);
    assertThat(rehearsalDatabases(admin)).isSubsetOf(before);
  }

  @Test
  void itsScratchDatabasesKeepTheServerUrlsHostsAndParameters() throws SQLException {
    TestDatabase admin = database();
    String host = admin.server().host() + ":" + admin.server().port();
    String failover = "jdbc:postgresql://" + host + "," + host + "/" + JdbcTarget.parse(admin.url()).database()
        + "?targetServerType=any&ApplicationName=ignored";
    RehearsalReport report = Rehearsal.builder().catalog(catalog(CREATE_JOBS))
        .server(failover, admin.user(), admin.password()).build().run();

    assertThat(report.passed()).as(report.render()).isTrue();
    assertThatThrownBy(() -> Rehearsal.builder().server("jdbc:postgresql://" + host + "/?password=s3cret", "u", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no database")
        .message().doesNotContain("s3cret");
  }

  private static Set<String> rehearsalDatabases(TestDatabase db) throws SQLException {
    Set<String> names = new HashSet<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'twostep\\_rehearsal\\_%'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
