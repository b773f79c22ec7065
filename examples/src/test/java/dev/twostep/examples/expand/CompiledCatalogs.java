package dev.twostep.examples.expand;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.twostep.MigrationCatalog;
import dev.twostep.processor.TwostepProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.tools.JavaFileObject;

/** Compiles one source of migrations with the processor and loads the catalog it generated. */
final class CompiledCatalogs {
  private CompiledCatalogs() {}

  /** The catalog {@code <package>.TwostepMigrations} of {@code source}, class {@code className}. */
  static MigrationCatalog compile(String className, String source) throws Exception {
    JavaFileObject file = JavaFileObjects.forSourceString(className, source);
    Compilation compilation = javac().withProcessors(new TwostepProcessor()).compile(file);
    assertThat(compilation).succeededWithoutWarnings();
    ClassLoader loader = new ClassLoader(CompiledCatalogs.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = "/CLASS_OUTPUT/" + name.replace('.', '/') + ".class";
        for (JavaFileObject generated : compilation.generatedFiles()) {
          if (generated.toUri().getPath().endsWith(path)) {
            try (InputStream in = generated.openInputStream()) {
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
    String pkg = className.substring(0, className.lastIndexOf('.'));
    return (MigrationCatalog) loader.loadClass(pkg + ".TwostepMigrations").getDeclaredConstructor().newInstance();
  }
}
