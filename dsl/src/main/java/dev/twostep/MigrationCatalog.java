package dev.twostep;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * An ordered catalog of migrations. The annotation processor generates one implementation per
 * migration set ({@code <Name>Migrations}) and registers it in {@code META-INF/services}, so the
 * runtime finds it without scanning the class path.
 */
public interface MigrationCatalog {
  /** The set's name, the prefix of the generated classes ({@code "Shop"}). */
  String name();

  /** All migrations in order of application: release, then pre before post, then step. */
  List<Migration> migrations();

  /**
   * The first release checked by the blue-green rules ({@code @MigrationSet(checkedFrom)}), or
   * empty when every release is checked. Migrations of earlier releases are the project's history
   * from before it adopted Twostep: the rehearsal does not require their pre-migrations to only
   * expand, as the compiler did not.
   */
  default Optional<Release> checkedFrom() {
    return Optional.empty();
  }

  /** The newest release of the catalog. */
  default Release newestRelease() {
    List<Migration> all = migrations();
    if (all.isEmpty()) {
      throw new IllegalStateException("catalog " + name() + " has no migrations");
    }
    return all.get(all.size() - 1).release();
  }

  /**
   * Runs Twostep's command line on {@code catalog}: what the generated {@code main} does. Needs
   * {@code twostep-runtime} on the class path; without it prints how to add it and returns 2.
   *
   * @return the process exit code
   */
  static int runCommandLine(MigrationCatalog catalog, String[] args) {
    for (CommandLine commandLine : ServiceLoader.load(CommandLine.class)) {
      return commandLine.run(catalog, args);
    }
    System.err.println(
        "twostep: the command line needs twostep-runtime on the class path "
            + "(Maven: dev.twostep:twostep-runtime)");
    return 2;
  }

  /**
   * The command line behind the generated {@code main}, provided by {@code twostep-runtime}
   * through {@link ServiceLoader}. Not for applications to implement.
   */
  interface CommandLine {
    /** Runs the command line {@code args} on {@code catalog} and returns the exit code. */
    int run(MigrationCatalog catalog, String[] args);
  }
}
