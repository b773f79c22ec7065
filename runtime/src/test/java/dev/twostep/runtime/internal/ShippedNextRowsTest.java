package dev.twostep.runtime.internal;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.Release;
import dev.twostep.runtime.TestCatalog;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which numbered migration a {@code next} history row shipped as. */
class ShippedNextRowsTest {
  private static final String QUEUE = "ALTER TABLE jobs ADD COLUMN queue text";
  private static final CatalogIndex CATALOG = new CatalogIndex(TestCatalog.of(
      sql("1.1.0", PRE, 1, "add queue", QUEUE),
      sql("1.2.0", PRE, 1, "add queue again", QUEUE),
      sql("1.2.0", POST, 1, "drop size", "ALTER TABLE jobs DROP COLUMN size"),
      sql("next", PRE, 1, "add owner", "ALTER TABLE jobs ADD COLUMN owner text")));
  private static final String QUEUE_SUM = CATALOG.catalog().migrations().get(0).checksum();
  private static final String OWNER_SUM = CATALOG.catalog().migrations().get(3).checksum();

  @Test
  void aRowIsTheLowestUnappliedNumberedMigrationWithItsPhaseStepAndChecksum() {
    assertThat(ShippedNextRows.shippedAs(CATALOG, PRE, 1, QUEUE_SUM, key -> false)).contains(Release.parse("1.1.0"));
    CatalogHistory.Key applied = new CatalogHistory.Key(Release.parse("1.1.0"), PRE, 1);
    assertThat(ShippedNextRows.shippedAs(CATALOG, PRE, 1, QUEUE_SUM, Set.of(applied)::contains))
        .contains(Release.parse("1.2.0"));
  }

  @Test
  void aRowOfTheCatalogsOwnNextMigrationOrOfAnotherPhaseOrStepStaysNext() {
    assertThat(ShippedNextRows.shippedAs(CATALOG, PRE, 1, OWNER_SUM, key -> false)).isEmpty();
    assertThat(ShippedNextRows.shippedAs(CATALOG, POST, 1, QUEUE_SUM, key -> false)).isEmpty();
    assertThat(ShippedNextRows.shippedAs(CATALOG, PRE, 2, QUEUE_SUM, key -> false)).isEmpty();
    assertThat(ShippedNextRows.shippedAs(CATALOG, PRE, 1, "0".repeat(64), key -> false)).isEmpty();
  }

  @Test
  void theNoteNamesBothPositions() {
    assertThat(new ShippedNextRows.Rekey(PRE, 2, QUEUE_SUM, Release.parse("3.1.0")).note())
        .isEqualTo("history row next:pre #2 is now 3.1.0:pre #2 (shipped)");
  }
}
