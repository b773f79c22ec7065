package dev.twostep.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The {@code javac} command lines of the benchmarks: the generated migrations compiled against
 * {@code twostep-dsl}, either with {@code -proc:none} or with exactly the Twostep processor on a
 * minimal processor path (processor, DSL, JavaPoet), as Maven's {@code annotationProcessorPaths}
 * would set it up. The jars are found on this JVM's class path by the classes they hold, so the
 * harness works from a Maven repository and from a reactor's {@code target} folders alike.
 */
final class Javac {
  static final String PROCESSOR = "dev.twostep.processor.TwostepProcessor";

  private Javac() {}

  /** The {@code javac} of the JDK this harness runs on. */
  static String binary() {
    Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
    if (!Files.isExecutable(javac)) {
      throw new IllegalStateException("no javac next to this JVM (" + javac + "): run the benchmarks on a JDK");
    }
    return javac.toString();
  }

  /** The class path entry holding {@code resource}. */
  static String entryHolding(String resource) {
    for (String entry : ChildProcess.classPath().split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        if (Files.exists(path.resolve(resource))) {
          return entry;
        }
      } else if (Files.isRegularFile(path)) {
        try (JarFile jar = new JarFile(path.toFile())) {
          if (jar.getEntry(resource) != null) {
            return entry;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path, e);
        }
      }
    }
    throw new IllegalStateException(resource + " is not on the class path; start the benchmarks with bench/run.sh");
  }

  static String dslPath() {
    return entryHolding("dev/twostep/PreMigration.class");
  }

  static String processorPath() {
    return ChildProcess.join(
        entryHolding("dev/twostep/processor/TwostepProcessor.class"), dslPath(),
        entryHolding("com/palantir/javapoet/JavaFile.class"));
  }

  /**
   * The command compiling {@code sources} into {@code classes} (generated sources into
   * {@code generated}); the file list goes into an {@code @argfile} beside {@code classes}.
   */
  static List<String> command(List<Path> sources, Path classes, Path generated, boolean withProcessor)
      throws IOException {
    return command(sources, classes, generated, withProcessor, dslPath());
  }

  /** As {@link #command(List, Path, Path, boolean)}, compiling against {@code classPath}. */
  static List<String> command(List<Path> sources, Path classes, Path generated, boolean withProcessor, String classPath)
      throws IOException {
    Files.createDirectories(classes);
    Files.createDirectories(generated);
    Path argFile = classes.resolveSibling(classes.getFileName() + ".sources");
    Files.writeString(argFile,
        sources.stream().map(p -> '"' + p.toString() + '"').collect(Collectors.joining("\n")), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of(binary(), "--release", "17", "-encoding", "UTF-8",
        "-cp", classPath, "-d", classes.toString(), "-s", generated.toString()));
    if (withProcessor) {
      command.addAll(List.of("-processorpath", processorPath(), "-processor", PROCESSOR));
    } else {
      command.add("-proc:none");
    }
    command.add("@" + argFile);
    return command;
  }

  /**
   * Compiles {@code sources} with the processor (not measured) and returns the classes folder.
   *
   * @throws IllegalStateException when javac fails, with its output
   */
  static Path compileWithProcessor(List<Path> sources, Path workDir) throws IOException, InterruptedException {
    Path classes = workDir.resolve("classes");
    List<String> command = command(sources, classes, workDir.resolve("generated"), true);
    ChildProcess.run(command, Map.of(), workDir.resolve("javac.log")).requireSuccess("javac with the Twostep processor");
    return classes;
  }
}
