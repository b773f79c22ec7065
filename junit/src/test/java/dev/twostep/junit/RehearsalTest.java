package dev.twostep.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.Phase;
import dev.twostep.junit.TestCatalogs.AdoptedAtThree;
import dev.twostep.junit.TestCatalogs.DropsColumnInDoBlock;
import dev.twostep.junit.TestCatalogs.ShopCatalog;
import dev.twostep.junit.TestCatalogs.TemporaryTableDecides;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.snapshot.RehearsalReport;
import dev.twostep.runtime.snapshot.SchemaDiff;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RehearsalTest {
  @Nested
  @TwostepTest(catalog = ShopCatalog.class)
  class AnExpandContractCatalog {
    @Test
    void passes(RehearsalReport report) {
      assertThat(report.passed()).as(report.render()).isTrue();
      assertThat(report.phases()).extracting(p -> p.state().toString()).containsExactly("1.0.0:pre", "2.0.0:pre", "2.0.0:post");
      assertThat(report.phases(Phase.PRE).get(1).migrations()).extracting(m -> m.migration().description())
          .containsExactly("step 1", "prioritise urgent jobs");
      assertThat(report.wholeVsStepwise().isEmpty()).isTrue();
    }
  }

  @Nested
  @TwostepTest(catalog = DropsColumnInDoBlock.class)
  class APreMigrationDroppingAColumnInADoBlock {
    @Test
    void failsNamingTheColumn(RehearsalReport report) {
      assertThat(report.passed()).isFalse();
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.kind()).isEqualTo(RehearsalReport.Kind.PRE_CONTRACT);
        assertThat(v.state()).isEqualTo(SchemaState.parse("2.0.0:pre"));
        assertThat(v.changes()).extracting(SchemaDiff.Change::describe)
            .containsExactly("removed column public.shop_jobs.state (text NOT NULL DEFAULT 'new'::text)");
      });
      assertThat(report.render()).contains("FAILED", "removed column public.shop_jobs.state");
    }
  }

  @Nested
  @TwostepTest(catalog = AdoptedAtThree.class)
  class AProjectThatAdoptedTwostepWithCheckedFrom {
    @Test
    void passesDespiteItsLegacyPreMigrations(RehearsalReport report) {
      assertThat(report.passed()).as(report.render()).isTrue();
      assertThat(report.phases()).extracting(p -> p.state().toString()).containsExactly("1.0.0:pre", "2.0.0:pre", "3.0.0:pre");
    }
  }

  @Nested
  @TwostepTest(catalog = TemporaryTableDecides.class)
  class AMigrationThatDependsOnAnEarlierOnesSession {
    @Test
    void givesAnotherSchemaInOneGoThanStepByStep(RehearsalReport report) {
      assertThat(report.passed()).isFalse();
      assertThat(report.violations()).singleElement().satisfies(v -> {
        assertThat(v.kind()).isEqualTo(RehearsalReport.Kind.WHOLE_VS_STEPWISE);
        assertThat(v.changes()).extracting(SchemaDiff.Change::describe)
            .containsExactly("removed table public.shop_staging (table)");
      });
      assertThat(report.render()).contains("only step by step: table public.shop_staging (table)");
    }
  }
}
