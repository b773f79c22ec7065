package dev.twostep.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.twostep.MigrationCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/** Helpers to compile migration sources with the processor and load what it generated. */
final class Compilations {
  private Compilations() {}

  /** A source file {@code com/acme/<name>.java} in package {@code com.acme} with the given body. */
  static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines("com.acme." + name, prepend("package com.acme;", "import dev.twostep.*;", lines));
  }

  /** A source file in another package. */
  static JavaFileObject sourceIn(String pkg, String name, String... lines) {
    return JavaFileObjects.forSourceLines(pkg + "." + name, prepend("package " + pkg + ";", "import dev.twostep.*;", lines));
  }

  /** A {@code package-info.java} with {@code annotation} on line 1. */
  static JavaFileObject packageInfo(String pkg, String annotation) {
    return JavaFileObjects.forSourceLines(pkg + ".package-info", annotation, "package " + pkg + ";");
  }

  /** An SQL migration on one line: the annotation is on line 3 of its file. */
  static JavaFileObject sqlMigration(String name, String phase, String release, int step, String sql) {
    return source(name,
        "@" + phase + "Migration(release = \"" + release + "\", step = " + step + ", sql = \"" + sql + "\")",
        "final class " + name + " {}");
  }

  static Compilation compile(JavaFileObject... sources) {
    return compile(List.of(), sources);
  }

  static Compilation compile(List<String> options, JavaFileObject... sources) {
    return javac().withProcessors(new TwostepProcessor()).withOptions(options).compile(sources);
  }

  private static String[] prepend(String a, String b, String[] lines) {
    List<String> out = new ArrayList<>();
    out.add(a);
    out.add(b);
    out.addAll(List.of(lines));
    return out.toArray(new String[0]);
  }

  /** Loads the generated catalog class from the compilation's class files and instantiates it. */
  static MigrationCatalog loadCatalog(Compilation compilation, String className) throws Exception {
    ClassLoader loader = new ClassLoader(Compilations.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = "/CLASS_OUTPUT/" + name.replace('.', '/') + ".class";
        for (JavaFileObject file : compilation.generatedFiles()) {
          if (file.toUri().getPath().endsWith(path)) {
            try (InputStream in = file.openInputStream()) {
              ByteArrayOutputStream bytes = new ByteArrayOutputStream();
              in.transferTo(bytes);
              return defineClass(name, bytes.toByteArray(), 0, bytes.size());
            } catch (IOException e) {
              throw new ClassNotFoundException(name, e);
            }
          }
        }
        throw new ClassNotFoundException(name);
      }
    };
    return (MigrationCatalog) loader.loadClass(className).getDeclaredConstructor().newInstance();
  }
}
