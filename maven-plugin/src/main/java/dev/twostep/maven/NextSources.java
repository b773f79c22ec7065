package dev.twostep.maven;

import dev.twostep.Migration;
import dev.twostep.Release;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The source files of a catalog's {@code next} migrations under the compile source roots, and
 * their rewrite to a numbered release: every {@code next} migration must be found, by its class
 * name, with a literal {@code release = "next"} on its class, or nothing is written.
 */
final class NextSources {
  private final List<Path> roots;

  NextSources(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /** One file to write. */
  record Edit(Path file, NextRewriter.Result rewritten) {}

  /**
   * The rewritten files, in order of the migrations.
   *
   * @throws MojoFailureException naming every migration whose source is missing or whose release is not a literal "next"
   */
  List<Edit> rewrite(List<Migration> next, Release release) throws MojoFailureException, IOException {
    Map<Path, List<Migration>> byFile = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Migration m : next) {
      Optional<Path> file = sourceOf(m.className());
      if (file.isEmpty()) {
        problems.add(m.displayName() + " (" + m.className() + "): no source file for it under the compile source roots "
            + roots + ". Ship from the project that compiles it.");
      } else {
        byFile.computeIfAbsent(file.get(), f -> new ArrayList<>()).add(m);
      }
    }
    List<Edit> edits = new ArrayList<>();
    for (Map.Entry<Path, List<Migration>> e : byFile.entrySet()) {
      NextRewriter.Result result = NextRewriter.rewrite(Files.readString(e.getKey(), StandardCharsets.UTF_8), release.text());
      for (Migration m : e.getValue()) {
        String simpleName = m.className().substring(m.className().lastIndexOf('.') + 1);
        if (result.changes().stream().noneMatch(c -> c.type().equals(simpleName))) {
          problems.add(m.displayName() + " (" + m.className() + " in " + e.getKey() + "): its release is not written as the "
              + "literal release = \"next\" on the class (a constant or an expression?), so ship cannot rewrite it. Write "
              + "release = \"next\" in its annotation and run ship again.");
        }
      }
      edits.add(new Edit(e.getKey(), result));
    }
    if (!problems.isEmpty()) {
      throw new MojoFailureException("[twostep:lock-file] not shipping " + release.text() + ", nothing was changed:\n  "
          + String.join("\n  ", problems));
    }
    return edits;
  }

  /**
   * The file declaring {@code className}: {@code a/b/C.java} for {@code a.b.C}, or for a nested
   * class {@code a.b.C.D} the file of its outermost class.
   */
  Optional<Path> sourceOf(String className) {
    String[] parts = className.split("\\.");
    for (int n = parts.length; n >= 1; n--) {
      String relative = String.join("/", java.util.Arrays.copyOf(parts, n)) + ".java";
      for (Path root : roots) {
        Path candidate = root.resolve(relative);
        if (Files.isRegularFile(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
