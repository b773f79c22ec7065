package dev.twostep.processor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;

/**
 * The processor's layering, as STYLE.md draws it: {@code model} and {@code sql} know no javac
 * types; {@code check} and {@code codegen} work on the model; only the entry package touches
 * elements. Checked on the class files (ArchUnit), so fully qualified names written inline count
 * as much as imports do.
 */
class ArchitectureTest {
  private static final JavaClasses PROCESSOR = new ClassFileImporter()
      // ArchUnit's DO_NOT_INCLUDE_TESTS knows only target/test-classes; builds may use -Dtwostep.target=...
      .withImportOption(location -> !location.contains("/test-classes/"))
      .importPackages("dev.twostep.processor");

  private static final String[] JAVAC = {
    "javax.lang.model..", "javax.annotation.processing..", "javax.tools..", "com.sun..", "com.palantir.javapoet.."};

  private static final String[] ELEMENTS = {
    "javax.lang.model.element..", "javax.lang.model.type..", "javax.lang.model.util..", "javax.annotation.processing.."};

  /** javac's elements, types and environments; {@code Modifier}, a plain enum JavaPoet takes, is fine. */
  private static final DescribedPredicate<JavaClass> ELEMENT_TYPES =
      JavaClass.Predicates.resideInAnyPackage(ELEMENTS)
          .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(Modifier.class)));

  @Test
  void modelKnowsNoJavacNorTheLayersAboveIt() {
    noClasses().that().resideInAPackage("..processor.internal.model..")
        .should().dependOnClassesThat().resideInAnyPackage(JAVAC)
        .orShould().dependOnClassesThat().resideInAnyPackage("..internal.check..", "..internal.codegen..")
        .check(PROCESSOR);
  }

  @Test
  void sqlAnalysisWorksOnStringsAlone() {
    noClasses().that().resideInAPackage("..processor.internal.sql..")
        .should().dependOnClassesThat().resideInAnyPackage(JAVAC)
        .orShould().dependOnClassesThat()
        .resideInAnyPackage("..internal.model..", "..internal.check..", "..internal.codegen..")
        .check(PROCESSOR);
  }

  @Test
  void checksAndCodegenTouchNoElements() {
    noClasses().that().resideInAnyPackage("..processor.internal.check..", "..processor.internal.codegen..")
        .should().dependOnClassesThat(ELEMENT_TYPES)
        .orShould().dependOnClassesThat().resideInAPackage("dev.twostep.processor")
        .check(PROCESSOR);
  }

  @Test
  void checksDoNotDependOnCodegen() {
    noClasses().that().resideInAPackage("..processor.internal.check..")
        .should().dependOnClassesThat().resideInAPackage("..processor.internal.codegen..")
        .check(PROCESSOR);
  }

  @Test
  void codegenDoesNotDependOnChecks() {
    // generation reads the model (the object timeline included), never a check's results
    noClasses().that().resideInAPackage("..processor.internal.codegen..")
        .should().dependOnClassesThat().resideInAPackage("..processor.internal.check..")
        .check(PROCESSOR);
  }

  @Test
  void theRulesCatchAViolation() {
    // the entry class does touch elements, so the same rule applied to it must fail
    ArchRule entryTouchesElements = noClasses().that().resideInAPackage("dev.twostep.processor")
        .should().dependOnClassesThat(ELEMENT_TYPES);
    assertThat(entryTouchesElements.evaluate(PROCESSOR).hasViolation()).isTrue();
    // the pipeline runs the checks, so the codegen rule applied to it must fail
    ArchRule pipelineUsesChecks = noClasses().that().resideInAPackage("dev.twostep.processor")
        .should().dependOnClassesThat().resideInAPackage("..processor.internal.check..");
    assertThat(pipelineUsesChecks.evaluate(PROCESSOR).hasViolation()).isTrue();
  }
}
