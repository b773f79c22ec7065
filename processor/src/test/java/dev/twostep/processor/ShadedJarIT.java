package dev.twostep.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The processor's jar as users get it: JavaPoet relocated inside it, so a project using another
 * JavaPoet version (or the original square one) never clashes with the processor's.
 */
class ShadedJarIT {
  @Test
  void javaPoetIsRelocatedIntoTheJar() throws IOException {
    Path jar = Path.of(System.getProperty("twostep.processorJar"));
    assertThat(jar).isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(ZipEntry::getName).toList();
      assertThat(names).noneMatch(name -> name.startsWith("com/palantir/"));
      assertThat(names).contains("dev/twostep/processor/shaded/javapoet/JavaFile.class",
          "dev/twostep/processor/TwostepProcessor.class",
          "META-INF/services/javax.annotation.processing.Processor");
      assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("dev.twostep.processor");
    }
    Path reducedPom = jar.resolveSibling("dependency-reduced-pom.xml");
    assertThat(Files.readString(reducedPom)).as("the published pom's dependencies")
        .doesNotContain("<artifactId>javapoet</artifactId>");
  }
}
