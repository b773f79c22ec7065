package dev.twostep.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: cli -> api and snapshot -> internal; nothing depends on the cli,
 * internal on neither the entry class nor snapshots, and the API package never on snapshots (the
 * entry class finds the baseline proof through ServiceLoader). Checked on the class files (ArchUnit).
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/twostep/runtime");

  private static List<Path> sources(Path dir, boolean recursive) throws IOException {
    try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static final JavaClasses RUNTIME = new ClassFileImporter()
      // ArchUnit's DO_NOT_INCLUDE_TESTS knows only target/test-classes; builds may use -Dtwostep.target=...
      .withImportOption(location -> !location.contains("/test-classes/"))
      .importPackages("dev.twostep.runtime");

  @Test
  void onlyTheCommandLineUsesPicocliAndNothingUsesTheCommandLine() {
    assertThat(RUNTIME.containPackage("dev.twostep.runtime.internal")).isTrue();
    noClasses().that().resideOutsideOfPackage("dev.twostep.runtime.cli..")
        .should().dependOnClassesThat().resideInAnyPackage("picocli..", "dev.twostep.runtime.cli..")
        .check(RUNTIME);
  }

  @Test
  void internalDependsOnNeitherTheEntryClassNorSnapshots() {
    noClasses().that().resideInAPackage("dev.twostep.runtime.internal..")
        .should().dependOnClassesThat().haveFullyQualifiedName("dev.twostep.runtime.Twostep")
        .orShould().dependOnClassesThat().resideInAPackage("dev.twostep.runtime.snapshot..")
        .check(RUNTIME);
  }

  /** Each of {@code packages} one slice, the other classes left out: a cycle between two of them fails. */
  private static ArchRule noCycleBetween(String... packages) {
    List<String> names = List.of(packages);
    SliceAssignment byPackage = new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        return names.contains(javaClass.getPackageName()) ? SliceIdentifier.of(javaClass.getPackageName())
            : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return String.join(", ", names);
      }
    };
    return slices().assignedFrom(byPackage).should().beFreeOfCycles();
  }

  @Test
  void theApiAndSnapshotPackagesFormNoCycle() {
    assertThat(RUNTIME.containPackage("dev.twostep.runtime.snapshot")).isTrue();
    noCycleBetween("dev.twostep.runtime", "dev.twostep.runtime.snapshot").check(RUNTIME);
  }

  @Test
  void theCycleRuleCatchesACycle() {
    // the API and internal packages do depend on each other (internal reads the result records)
    assertThat(noCycleBetween("dev.twostep.runtime", "dev.twostep.runtime.internal").evaluate(RUNTIME).hasViolation())
        .isTrue();
  }

  @Test
  void theRulesCatchAViolation() {
    ArchRule entryUsesInternal = noClasses().that().haveFullyQualifiedName("dev.twostep.runtime.Twostep")
        .should().dependOnClassesThat().resideInAPackage("dev.twostep.runtime.internal..");
    assertThat(entryUsesInternal.evaluate(RUNTIME).hasViolation()).isTrue();
  }

  @Test
  void everyPublicDeclarationHasJavadocUnlessItOverrides() throws IOException {
    List<Path> files = Stream.of(sources(SOURCES, false), sources(SOURCES.resolve("internal"), true),
        sources(SOURCES.resolve("cli"), true)).flatMap(List::stream).toList();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).strip().startsWith("public ")) {
          continue;
        }
        int j = i - 1;
        boolean overrides = false;
        while (j >= 0 && lines.get(j).strip().startsWith("@")) {
          overrides |= lines.get(j).strip().equals("@Override");
          j--;
        }
        if (!overrides) {
          assertThat(j >= 0 && lines.get(j).strip().endsWith("*/"))
              .as("Javadoc before %s:%d %s", file.getFileName(), i + 1, lines.get(i).strip()).isTrue();
        }
      }
    }
  }
}
