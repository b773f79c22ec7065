package dev.twostep.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.junit.TestCatalogs.ShopCatalog;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.snapshot.SchemaObject.Kind;
import dev.twostep.runtime.snapshot.SchemaSnapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@TwostepTest(catalog = ShopCatalog.class)
class StateDatabasesTest {
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  @AtState("2.0.0:pre")
  DataSource preField;

  @AtState("empty")
  static StateDatabase sharedEmpty;

  @Test
  void anEmptyDatabaseHasNoTablesAndNoHistory(@AtState("empty") StateDatabase db) throws SQLException {
    assertThat(db.createdAt()).isEqualTo(SchemaState.EMPTY);
    assertThat(db.snapshot().objects(Kind.TABLE)).isEmpty();
    assertThat(db.twostep().status().state()).isEqualTo(SchemaState.EMPTY);
  }

  @Test
  void theFirstReleaseHasOnlyItsOwnSchema(@AtState("1.0.0:pre") DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      SchemaSnapshot s = SchemaSnapshot.read(c);
      assertThat(s.contains(Kind.COLUMN, "public.shop_jobs.state")).isTrue();
      assertThat(s.contains(Kind.COLUMN, "public.shop_jobs.priority")).isFalse();
      assertThat(s.contains(Kind.FUNCTION, "public.shop_fetch_job_v2(p_queue text)")).isFalse();
    }
  }

  @Test
  void preOfTheSecondReleaseServesOldAndNewCode(@AtState("2.0.0:pre") StateDatabase db) throws SQLException {
    assertThat(db.twostep().status().state()).isEqualTo(SchemaState.parse("2.0.0:pre"));
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      // code of 1.0.0: knows neither priority nor v2
      s.execute("INSERT INTO shop_jobs (queue) VALUES ('mail')");
      assertThat(single(s, "SELECT shop_fetch_job_v1('mail')")).isNotNull();
      // code of 2.0.0
      s.execute("INSERT INTO shop_jobs (queue, priority) VALUES ('mail', 5)");
      assertThat(single(s, "SELECT priority FROM shop_jobs WHERE id = shop_fetch_job_v2('mail')")).isEqualTo("5");
    }
  }

  @Test
  void withoutAtStateADataSourceIsAtTheNewestState(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      SchemaSnapshot s = SchemaSnapshot.read(c);
      assertThat(s.contains(Kind.COLUMN, "public.shop_jobs.priority")).isTrue();
      assertThat(s.contains(Kind.COLUMN, "public.shop_jobs.state")).isFalse();
      assertThat(s.contains(Kind.FUNCTION, "public.shop_fetch_job_v1(p_queue text)")).isFalse();
    }
  }

  @Test
  void twoParametersAtOneStateAreTwoDatabasesWithTheSameSchema(
      @AtState("2.0.0") StateDatabase a, @AtState("latest") StateDatabase b) throws SQLException {
    assertThat(a.name()).isNotEqualTo(b.name());
    assertThat(a.createdAt()).isEqualTo(b.createdAt()).isEqualTo(SchemaState.parse("2.0.0:post"));
    assertThat(a.snapshot()).isEqualTo(b.snapshot());
    try (Connection c = a.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE only_in_a (id int)");
    }
    assertThat(a.snapshot()).isNotEqualTo(b.snapshot());
  }

  @Test
  void eachTestGetsItsOwnCopy(@AtState("2.0.0:pre") StateDatabase db) throws SQLException {
    writeOneJobAndCount(db);
  }

  @Test
  void eachTestGetsItsOwnCopyToo(@AtState("2.0.0:pre") StateDatabase db) throws SQLException {
    writeOneJobAndCount(db);
  }

  /** Fails in whichever of the two tests runs second if they shared a database. */
  private static void writeOneJobAndCount(StateDatabase db) throws SQLException {
    assertThat(SEEN.add(db.name())).as("database names are never reused").isTrue();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO shop_jobs (queue) VALUES ('mail')");
      assertThat(single(s, "SELECT count(*) FROM shop_jobs")).isEqualTo("1");
    }
  }

  @Test
  void eachStateIsBuiltOnceAndCopied(@AtState("2.0.0:pre") StateDatabase a, @AtState("2.0.0:pre") StateDatabase b)
      throws SQLException {
    try (Connection c = a.connect(); Statement s = c.createStatement()) {
      String pattern = "twostep\\_tpl\\_shop\\_2\\_0\\_0\\_pre\\_" + ProcessHandle.current().pid() + "\\_%";
      assertThat(single(s, "SELECT count(*) FROM pg_database WHERE datname LIKE '" + pattern + "'")).isEqualTo("1");
      assertThat(single(s, "SELECT count(*) FROM pg_database WHERE datname IN ('" + a.name() + "', '" + b.name() + "')"))
          .isEqualTo("2");
    }
  }

  @Test
  void aDatabaseMovesOnToLaterStatesWithItsData(@AtState("1.0.0:pre") StateDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO shop_jobs (queue) VALUES ('urgent'), ('mail')");
    }
    assertThat(db.migrate("2.0.0:pre").after()).isEqualTo(SchemaState.parse("2.0.0:pre"));
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      assertThat(single(s, "SELECT string_agg(queue || '=' || priority, ',' ORDER BY id) FROM shop_jobs"))
          .as("the Java migration of 2.0.0:pre backfilled the priority").isEqualTo("urgent=10,mail=0");
    }
    db.migrate("post");
    assertThat(db.snapshot().contains(Kind.COLUMN, "public.shop_jobs.state")).isFalse();
  }

  @Test
  void fieldsAreFilledToo() throws SQLException {
    try (Connection c = preField.getConnection(); Statement s = c.createStatement()) {
      assertThat(single(s, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'shop\\_fetch\\_job\\_v_'")).isEqualTo("2");
    }
    assertThat(sharedEmpty.snapshot().objects(Kind.TABLE)).isEmpty();
  }

  @Test
  void unknownStatesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> TwostepExtension.resolve("3.0.0:pre", new ShopCatalog()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("release 3.0.0 has no migrations");
    assertThatThrownBy(() -> TwostepExtension.resolve("2.0.0:later", new ShopCatalog()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.0.0:later");
    assertThat(TwostepExtension.resolve("pre", new ShopCatalog())).isEqualTo(SchemaState.parse("2.0.0:pre"));
  }

  static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
