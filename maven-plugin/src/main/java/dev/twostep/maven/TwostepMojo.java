package dev.twostep.maven;

import dev.twostep.MigrationCatalog;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every Twostep goal shares: the parameters of DESIGN's Maven contract and the project's
 * compiled catalog, loaded with the project's runtime class path (its Java migrations and their
 * libraries) on top of the plugin's own Twostep runtime.
 */
abstract class TwostepMojo extends AbstractMojo {
  static final String SERVICES = "META-INF/services/" + MigrationCatalog.class.getName();

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  /** JDBC URL of the database (else the environment variable {@code TWOSTEP_URL}). */
  @Parameter(property = "twostep.url")
  String url;

  /** Database user (else {@code TWOSTEP_USER}). */
  @Parameter(property = "twostep.user")
  String user;

  /** Database password (else {@code TWOSTEP_PASSWORD}); never printed. */
  @Parameter(property = "twostep.password")
  String password;

  /** The lock file of shipped releases, as given to the compiler with {@code -Atwostep.lockfile}. */
  @Parameter(property = "twostep.lockfile", defaultValue = "${project.basedir}/twostep.lock")
  File lockFile;

  /** A release: for {@code check}, {@code baseline} and {@code ship}. */
  @Parameter(property = "twostep.release")
  String release;

  /** A target ({@code 2.0.0:pre}, {@code 2.0.0:post}, {@code 2.0.0}): for {@code migrate} and {@code plan}. */
  @Parameter(property = "twostep.to")
  String to;

  /** The catalog class, when the project compiles several migration sets. */
  @Parameter(property = "twostep.catalog")
  String catalog;

  /** A loader of the project's runtime class path whose parent is the plugin's (Twostep, the JDBC driver). */
  URLClassLoader projectLoader() throws MojoExecutionException {
    List<URL> urls = new ArrayList<>();
    try {
      for (String element : project.getRuntimeClasspathElements()) {
        urls.add(new File(element).toURI().toURL());
      }
    } catch (DependencyResolutionRequiredException | MalformedURLException e) {
      throw new MojoExecutionException("twostep: cannot read the project's runtime class path: " + e.getMessage(), e);
    }
    return new URLClassLoader(urls.toArray(new URL[0]), getClass().getClassLoader());
  }

  /**
   * The project's compiled catalog: the one its {@code META-INF/services} entry in the output
   * directory names, or {@link #catalog} among several.
   */
  MigrationCatalog loadCatalog(ClassLoader loader) throws MojoExecutionException {
    Path services = Path.of(project.getBuild().getOutputDirectory()).resolve(SERVICES);
    List<String> names = new ArrayList<>();
    if (Files.isRegularFile(services)) {
      try {
        for (String line : Files.readAllLines(services, StandardCharsets.UTF_8)) {
          String name = line.replaceAll("#.*", "").strip();
          if (!name.isEmpty()) {
            names.add(name);
          }
        }
      } catch (IOException e) {
        throw new MojoExecutionException("twostep: cannot read " + services + ": " + e.getMessage(), e);
      }
    }
    String chosen;
    if (catalog != null && !catalog.isBlank()) {
      chosen = catalog.strip();
    } else if (names.size() == 1) {
      chosen = names.get(0);
    } else if (names.isEmpty()) {
      throw new MojoExecutionException("twostep: no compiled catalog in " + project.getBuild().getOutputDirectory()
          + ": compile the project with twostep-processor as annotation processor first (mvn compile), "
          + "or name the catalog class with -Dtwostep.catalog=<class>");
    } else {
      throw new MojoExecutionException("twostep: the project compiles " + names.size() + " catalogs (" + String.join(", ", names)
          + "): name one with -Dtwostep.catalog=<class> or <catalog> in the plugin's configuration");
    }
    try {
      Class<?> type = Class.forName(chosen, true, loader);
      return (MigrationCatalog) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
      throw new MojoExecutionException("twostep: cannot load catalog " + chosen + ": " + e, e);
    }
  }
}
