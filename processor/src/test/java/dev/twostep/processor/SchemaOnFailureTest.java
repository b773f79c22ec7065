package dev.twostep.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.twostep.processor.Compilations.compile;
import static dev.twostep.processor.Compilations.packageInfo;
import static dev.twostep.processor.Compilations.source;
import static dev.twostep.processor.Compilations.sqlMigration;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * When a rule fails, {@code <Name>Schema} is still generated, so the rule's error is the only one:
 * no {@code cannot find symbol} for every use of a constant.
 */
class SchemaOnFailureTest {
  private static final JavaFileObject SET = packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\")");
  private static final JavaFileObject V1 = sqlMigration("CreateQueue", "Pre", "1.0.0", 1,
      "CREATE TABLE shop_jobs (id bigint); CREATE FUNCTION shop_fetch_job_v1() RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$;");
  private static final JavaFileObject REPOSITORY = source("JobRepository",
      "final class JobRepository {",
      "  static final String FETCH = \"SELECT \" + ShopSchema.FETCH_JOB + \"()\";",
      "  static final Class<?> SCHEMA = ShopSchema.class;",
      "}");

  @Test
  void aFailingRuleIsTheOnlyError() {
    JavaFileObject dropsV1InPre = sqlMigration("DropV1", "Pre", "2.0.0", 1, "DROP FUNCTION shop_fetch_job_v1();");
    Compilation c = compile(SET, V1, dropsV1InPre, REPOSITORY);
    assertThat(c).hadErrorContaining("[twostep:pre-contract]").inFile(dropsV1InPre);
    // JobRepository's two uses of ShopSchema compile: the schema class was generated
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void withoutTheSchemaClassEveryUseWouldBeAnError() {
    // the control: the same use without any migration is javac's own error, twice
    Compilation c = compile(REPOSITORY);
    assertThat(c).hadErrorContaining("cannot find symbol");
    assertThat(c).hadErrorCount(2);
  }
}
