package dev.twostep.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.twostep.processor.Compilations.compile;
import static dev.twostep.processor.Compilations.source;
import static dev.twostep.processor.Compilations.sourceIn;
import static dev.twostep.processor.Compilations.sqlMigration;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One test per ordering rule: the rule id, the file and the line of the offending value. */
class OrderingRulesTest {
  private static final String TABLE = "CREATE TABLE t (id int);";

  @Test
  void releaseFormat() {
    JavaFileObject bad = sqlMigration("Bad", "Pre", "2.x", 1, TABLE);
    Compilation c = compile(bad);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[twostep:release-format] pre-migration Bad has release \"2.x\"").inFile(bad).onLine(3);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void releaseFormatRejectsFiveParts() {
    JavaFileObject bad = sqlMigration("Bad", "Post", "1.2.3.4.5", 1, TABLE);
    assertThat(compile(bad)).hadErrorContaining("[twostep:release-format]").inFile(bad).onLine(3);
  }

  @Test
  void releaseSpellingIsReportedOnBothSpellings() {
    JavaFileObject a = sqlMigration("A", "Pre", "2.1", 1, TABLE);
    JavaFileObject b = sqlMigration("B", "Pre", "2.1.0", 2, "CREATE TABLE u (id int);");
    Compilation c = compile(a, b);
    assertThat(c).hadErrorContaining("[twostep:release-spelling] release 2.1 of A is spelled 2 ways").inFile(a).onLine(3);
    assertThat(c).hadErrorContaining("[twostep:release-spelling] release 2.1.0 of B").inFile(b).onLine(3);
  }

  @Test
  void duplicateStepIsReportedOnEveryParticipant() {
    JavaFileObject a = sqlMigration("A", "Pre", "1.0.0", 1, TABLE);
    JavaFileObject b = sqlMigration("B", "Pre", "1.0.0", 1, "CREATE TABLE u (id int);");
    Compilation c = compile(a, b);
    assertThat(c).hadErrorContaining("[twostep:duplicate-step] pre-migration 1.0.0 step 1 (A) has the same release, phase and step as B")
        .inFile(a).onLine(3);
    assertThat(c).hadErrorContaining("[twostep:duplicate-step] pre-migration 1.0.0 step 1 (B) has the same release, phase and step as A")
        .inFile(b).onLine(3);
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void sameStepInOtherPhaseOrReleaseIsFine() {
    Compilation c = compile(
        sqlMigration("A", "Pre", "1.0.0", 1, TABLE),
        sqlMigration("B", "Post", "1.0.0", 1, "CREATE TABLE u (id int);"),
        sqlMigration("C", "Pre", "1.1", 1, "CREATE TABLE v (id int);"));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void stepSequenceGap() {
    JavaFileObject a = sqlMigration("A", "Post", "1.0.0", 1, TABLE);
    JavaFileObject c3 = sqlMigration("C", "Post", "1.0.0", 3, "CREATE TABLE u (id int);");
    Compilation c = compile(a, c3);
    assertThat(c).hadErrorContaining("[twostep:step-sequence] post-migration 1.0.0 step 3 (C) should be step 2")
        .inFile(c3).onLine(3);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void stepSequenceMustStartAtOne() {
    JavaFileObject zero = sqlMigration("Zero", "Pre", "1.0.0", 0, TABLE);
    assertThat(compile(zero)).hadErrorContaining("[twostep:step-sequence] pre-migration 1.0.0 (Zero) has step 0; steps start at 1")
        .inFile(zero).onLine(3);
    JavaFileObject two = sqlMigration("Two", "Pre", "1.0.0", 2, TABLE);
    assertThat(compile(two)).hadErrorContaining("should be step 1").inFile(two).onLine(3);
  }

  @Test
  void migrationBodyNeitherSqlNorJava() {
    JavaFileObject empty = source("Empty",
        "@PreMigration(release = \"1.0.0\", step = 1)",
        "final class Empty {}");
    assertThat(compile(empty)).hadErrorContaining("[twostep:migration-body] pre-migration 1.0.0 step 1 (Empty) has no sql")
        .inFile(empty).onLine(4);
  }

  @Test
  void migrationBodyBothSqlAndJava() {
    JavaFileObject both = source("Both",
        "@PreMigration(release = \"1.0.0\", step = 1,",
        "    sql = \"CREATE TABLE t (id int);\")",
        "final class Both implements JavaMigration {",
        "  @Override public void migrate(MigrationContext context) {}",
        "}");
    assertThat(compile(both)).hadErrorContaining("[twostep:migration-body] pre-migration 1.0.0 step 1 (Both) has sql and also implements JavaMigration")
        .inFile(both).onLine(4);
  }

  @Test
  void migrationBodyJavaWithoutNoArgConstructor() {
    JavaFileObject java = source("Backfill",
        "@PostMigration(release = \"1.0.0\", step = 1)",
        "final class Backfill implements JavaMigration {",
        "  Backfill(int size) {}",
        "  @Override public void migrate(MigrationContext context) {}",
        "}");
    assertThat(compile(java)).hadErrorContaining("[twostep:migration-body] Java post-migration 1.0.0 step 1 (Backfill) has no no-argument constructor")
        .inFile(java).onLine(4);
  }

  @Test
  void migrationBodyJavaNotVisibleFromGeneratedPackage() {
    JavaFileObject set = Compilations.packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\")");
    JavaFileObject hidden = sourceIn("com.acme.db", "Hidden",
        "@PostMigration(release = \"1.0.0\", step = 1)",
        "final class Hidden implements JavaMigration {",
        "  @Override public void migrate(MigrationContext context) {}",
        "}");
    assertThat(compile(set, hidden)).hadErrorContaining("[twostep:migration-body] Java post-migration 1.0.0 step 1 (Hidden): its class is not visible from package com.acme")
        .inFile(hidden).onLine(4);
  }

  @Test
  void migrationBodyInnerAndAbstract() {
    JavaFileObject outer = source("Outer",
        "final class Outer {",
        "  @PreMigration(release = \"1.0.0\", step = 1)",
        "  class Inner implements JavaMigration {",
        "    @Override public void migrate(MigrationContext context) {}",
        "  }",
        "  @PreMigration(release = \"1.0.0\", step = 2)",
        "  abstract static class Abstract implements JavaMigration {}",
        "}");
    Compilation c = compile(outer);
    assertThat(c).hadErrorContaining("(Inner) is an inner class").inFile(outer).onLine(5);
    assertThat(c).hadErrorContaining("(Abstract) is abstract").inFile(outer).onLine(9);
  }

  @Test
  void migrationBodyBothAnnotations() {
    JavaFileObject twice = source("Twice",
        "@PreMigration(release = \"1.0.0\", step = 1, sql = \"CREATE TABLE t (id int);\")",
        "@PostMigration(release = \"1.0.0\", step = 1, sql = \"DROP TABLE t;\")",
        "final class Twice {}");
    assertThat(compile(twice)).hadErrorContaining("[twostep:migration-body] Twice is annotated with both @PreMigration and @PostMigration")
        .inFile(twice).onLine(5);
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    JavaFileObject a = sqlMigration("A", "Pre", "x", 1, TABLE);
    JavaFileObject b = sqlMigration("B", "Pre", "1.0.0", 2, TABLE);
    JavaFileObject e = source("E", "@PostMigration(release = \"1.0.0\", step = 1)", "final class E {}");
    Compilation c = compile(a, b, e);
    assertThat(c).hadErrorContaining("[twostep:release-format]").inFile(a).onLine(3);
    assertThat(c).hadErrorContaining("[twostep:step-sequence]").inFile(b).onLine(3);
    assertThat(c).hadErrorContaining("[twostep:migration-body]").inFile(e).onLine(4);
    assertThat(c).hadErrorCount(3);
  }

  @Test
  void waiverTurnsAnErrorIntoANote() {
    JavaFileObject a = sqlMigration("A", "Pre", "1.0.0", 1, TABLE);
    JavaFileObject c = source("C",
        "@Waive(rule = \"step-sequence\", reason = \"step 2 was withdrawn before it shipped\")",
        "@PreMigration(release = \"1.0.0\", step = 3, sql = \"CREATE TABLE u (id int);\")",
        "final class C {}");
    Compilation compilation = compile(a, c);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadNoteContaining("[twostep:step-sequence] pre-migration 1.0.0 step 3 (C) should be step 2")
        .inFile(c).onLine(4);
    assertThat(compilation).hadNoteContaining("(waived: step 2 was withdrawn before it shipped)").inFile(c).onLine(4);
  }

  @Test
  void rulesWhoseBreakWouldFailTheDeployCannotBeWaived() {
    JavaFileObject a = sqlMigration("A", "Pre", "1.0.0", 1, TABLE);
    JavaFileObject b = source("B",
        "@Waive(rule = \"duplicate-step\", reason = \"renumbered later\")",
        "@PreMigration(release = \"1.0.0\", step = 1, sql = \"CREATE TABLE u (id int);\")",
        "final class B {}");
    Compilation compilation = compile(a, b);
    assertThat(compilation).hadErrorContaining("[twostep:duplicate-step] pre-migration 1.0.0 step 1 (B)").inFile(b).onLine(4);
    assertThat(compilation).hadErrorContaining("[twostep:waiver] @Waive on B names rule \"duplicate-step\", which cannot be waived")
        .inFile(b).onLine(3);
  }

  @Test
  void waiverWithoutReasonOrWithUnknownRuleIsAnError() {
    JavaFileObject blank = source("Blank",
        "@Waive(rule = \"pre-contract\", reason = \" \")",
        "@PreMigration(release = \"1.0.0\", step = 1, sql = \"CREATE TABLE t (id int);\")",
        "final class Blank {}");
    JavaFileObject unknown = source("Unknown",
        "@Waive(rule = \"no-such-rule\", reason = \"because\")",
        "@PreMigration(release = \"1.0.0\", step = 2, sql = \"CREATE TABLE u (id int);\")",
        "final class Unknown {}");
    Compilation c = compile(blank, unknown);
    assertThat(c).hadErrorContaining("[twostep:waiver] @Waive(rule = \"pre-contract\") on Blank has no reason").inFile(blank).onLine(3);
    assertThat(c).hadErrorContaining("[twostep:waiver] @Waive on Unknown names rule \"no-such-rule\"").inFile(unknown).onLine(3);
  }

  @Test
  void aProblemWithTheSecondWaiverIsReportedOnTheSecondWaiver() {
    JavaFileObject a = sqlMigration("A", "Pre", "1.0.0", 1, TABLE);
    JavaFileObject two = source("Two",
        "@Waive(rule = \"step-sequence\", reason = \"step 2 was withdrawn\")",
        "@Waive(rule = \"pre-contract\", reason = \"\")",
        "@PreMigration(release = \"1.0.0\", step = 3, sql = \"CREATE TABLE u (id int);\")",
        "final class Two {}");
    Compilation c = compile(a, two);
    assertThat(c).hadErrorContaining("[twostep:waiver] @Waive(rule = \"pre-contract\") on Two has no reason")
        .inFile(two).onLine(4);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void anUnresolvableAnnotationValueIsJavacsErrorNotAProcessorBug() {
    JavaFileObject a = sqlMigration("A", "Pre", "1.0.0", 1, TABLE);
    JavaFileObject nope = source("Nope",
        "@Waive(rule = RULE, reason = \"because\")",
        "@PreMigration(release = \"1.0.0\", step = NOPE, sql = \"CREATE TABLE u (id int);\")",
        "final class Nope {}");
    Compilation c = compile(a, nope);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("cannot find symbol").inFile(nope).onLine(4);
    assertEquals(List.of(), c.diagnostics().stream().map(d -> d.getMessage(null)).filter(m -> m.contains("[twostep:")).toList());
  }

  @Test
  void unusedWaiverWarns() {
    JavaFileObject a = source("A",
        "@Waive(rule = \"pre-contract\", reason = \"because\")",
        "@PreMigration(release = \"1.0.0\", step = 1, sql = \"CREATE TABLE t (id int);\")",
        "final class A {}");
    Compilation c = compile(a);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[twostep:waiver] @Waive(rule = \"pre-contract\") on A waives nothing").inFile(a).onLine(3);
  }

  @Test
  void aMissingSupertypeIsLeftToJavacWithoutFollowUpDiagnostics() {
    JavaFileObject typo = source("Typo",
        "@PreMigration(release = \"1.0.0\", step = 1)",
        "final class Typo implements JavaMigrashun {",
        "  public void migrate(MigrationContext context) {}",
        "}");
    Compilation c = compile(typo);
    assertThat(c).hadErrorContaining("cannot find symbol").inFile(typo).onLine(4);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadWarningCount(0);
  }

  @Test
  void badMigrationSetName() {
    JavaFileObject set = Compilations.packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"not a name\")");
    Compilation c = compile(set, sqlMigration("A", "Pre", "1.0.0", 1, TABLE));
    assertThat(c).hadErrorContaining("[twostep:migration-set] @MigrationSet(name = \"not a name\") is not a Java identifier")
        .inFile(set).onLine(1);
  }
}
