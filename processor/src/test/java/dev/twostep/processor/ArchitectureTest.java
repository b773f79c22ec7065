package dev.twostep.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's layering, as STYLE.md draws it: {@code model} and {@code sql} know no javac
 * types; {@code check} and {@code codegen} work on the model; only the entry package touches
 * elements. Checked over the import lines of the sources.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/twostep/processor");

  @Test
  void modelAndSqlKnowNoJavac() throws IOException {
    assertThat(violations("internal/model", "javax.lang.model", "javax.annotation.processing", "com.sun.", "javax.tools",
        "com.palantir.javapoet", "dev.twostep.processor.internal.check", "dev.twostep.processor.internal.codegen"))
        .isEmpty();
    assertThat(violations("internal/sql", "javax.lang.model", "javax.annotation.processing", "com.sun.", "javax.tools",
        "com.palantir.javapoet", "dev.twostep.processor.internal.check", "dev.twostep.processor.internal.codegen",
        "dev.twostep.processor.internal.model"))
        .isEmpty();
  }

  @Test
  void checksAndCodegenTouchNoElements() throws IOException {
    String[] forbidden = {"javax.lang.model.element.Element;", "javax.lang.model.element.TypeElement", "javax.lang.model.type",
        "javax.lang.model.util", "javax.annotation.processing.ProcessingEnvironment", "javax.annotation.processing.RoundEnvironment",
        "dev.twostep.processor.TwostepProcessor", "dev.twostep.processor.Pipeline"};
    assertThat(violations("internal/check", forbidden)).isEmpty();
    assertThat(violations("internal/codegen", forbidden)).isEmpty();
    assertThat(violations("internal/check", "dev.twostep.processor.internal.codegen")).isEmpty();
  }

  @Test
  void theRuleCatchesAViolation() throws IOException {
    // the entry class does touch elements, so the same scan must find it there
    assertThat(violations("", "javax.lang.model.element.TypeElement")).isNotEmpty();
  }

  private static List<String> violations(String folder, String... forbidden) throws IOException {
    List<String> out = new ArrayList<>();
    Path dir = MAIN.resolve(folder);
    assertThat(dir).isDirectory();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(file)) {
          if (!line.startsWith("import ")) {
            continue;
          }
          for (String f : forbidden) {
            if (line.contains(f)) {
              out.add(MAIN.relativize(file) + " imports " + f);
            }
          }
        }
      }
    }
    return out;
  }
}
