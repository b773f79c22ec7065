package dev.twostep.processor.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** What counts as a change of a Java migration's code, and what does not. */
class JavaSourceTextTest {
  private static final String BACKFILL = """
      @PreMigration(release = "2.0.0", step = 2)
      @Waive(rule = "step-sequence", reason = "x")
      public final class Backfill implements JavaMigration, NonTransactional {
        private static final int BATCH = 1_000;

        @Override
        public void migrate(MigrationContext context) throws Exception {
          context.inBatches(\"""
              UPDATE shop_jobs SET priority = 0
              WHERE id IN (SELECT id FROM shop_jobs WHERE priority IS NULL LIMIT 1000)\""");
        }
      }
      class Helper {}
      """;

  private static String normal(String source) {
    return JavaSourceText.normaliseClass(source);
  }

  @Test
  void layoutCommentsAndJavadocDoNotCount() {
    String reformatted = """
        @PreMigration(release = "next", step = 2)
        /** Backfills the priority. */
        public final class Backfill implements JavaMigration,NonTransactional{
          // rows per transaction
          private static final int BATCH=1_000;  /* tuned */
          @Override public void migrate(MigrationContext context) throws Exception {
            context.inBatches(\"""
                    UPDATE shop_jobs SET priority = 0
                    WHERE id IN (SELECT id FROM shop_jobs WHERE priority IS NULL LIMIT 1000)\"""
                );
          }
        }
        """;
    assertThat(normal(reformatted)).isEqualTo(normal(BACKFILL));
  }

  @Test
  void theMigrationAnnotationsAndWhatFollowsTheClassAreNotPartOfIt() {
    assertThat(normal(BACKFILL)).startsWith("public final class Backfill").endsWith(") ; } }").doesNotContain("Helper", "release");
  }

  @Test
  void everyTokenCounts() {
    assertThat(normal(BACKFILL.replace("1_000", "10_000"))).isNotEqualTo(normal(BACKFILL));
    assertThat(normal(BACKFILL.replace("priority = 0", "priority = 1"))).isNotEqualTo(normal(BACKFILL));
    assertThat(normal(BACKFILL.replace("priority = 0", "priority  =  0"))).isNotEqualTo(normal(BACKFILL));
    assertThat(normal(BACKFILL.replace("LIMIT 1000", "LIMIT 100"))).isNotEqualTo(normal(BACKFILL));
  }

  @Test
  void adjacentOperatorCharactersAreOneOperator() {
    assertThat(JavaSourceText.normalise("x = i++ + j;")).isNotEqualTo(JavaSourceText.normalise("x = i + ++j;"));
    assertThat(JavaSourceText.normalise("a>=b")).isEqualTo(JavaSourceText.normalise("a >= b"));
  }

  @Test
  void stringsAndCharsKeepTheirContentAndEscapes() {
    assertThat(JavaSourceText.normalise("s = \"a // not a comment \\\" /* either */\";"))
        .isEqualTo("s = \"a // not a comment \\\" /* either */\" ;");
    assertThat(JavaSourceText.normalise("c = '\\'';")).isEqualTo("c = '\\'' ;");
  }

  @Test
  void anyTextNeverThrows() {
    Random random = new Random(15);
    String alphabet = "ab1 \n\"'/*{}()@.=+\\";
    for (int i = 0; i < 5_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int k = random.nextInt(40); k > 0; k--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      JavaSourceText.normaliseClass(text.toString());
      JavaSourceText.normalise(text.toString());
    }
  }
}
