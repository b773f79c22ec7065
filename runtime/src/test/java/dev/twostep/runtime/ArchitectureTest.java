package dev.twostep.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies point one way: cli -> api -> internal; nothing depends on the cli, internal not on the cli. */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/twostep/runtime");

  private static List<Path> sources(Path dir, boolean recursive) throws IOException {
    try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void onlyTheCommandLineUsesPicocliAndNothingUsesTheCommandLine() throws IOException {
    List<Path> api = sources(SOURCES, false);
    List<Path> internal = sources(SOURCES.resolve("internal"), true);
    assertThat(api).hasSizeGreaterThan(10);
    assertThat(internal).hasSizeGreaterThan(5);
    for (Path file : Stream.concat(api.stream(), internal.stream()).toList()) {
      String text = Files.readString(file);
      assertThat(text).as(file.toString()).doesNotContain("import picocli.").doesNotContain("dev.twostep.runtime.cli");
    }
    for (Path file : internal) {
      assertThat(Files.readString(file)).as(file.toString()).doesNotContain("import dev.twostep.runtime.Twostep;");
    }
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
