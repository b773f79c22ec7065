package dev.twostep.spring;

import dev.twostep.MigrationCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Chooses the catalog among those the class path registers in {@code META-INF/services} (the
 * processor registers every generated catalog there): the only one, or the one
 * {@code twostep.catalog} names.
 */
final class CatalogSelection {
  private CatalogSelection() {}

  /**
   * The catalog to use.
   *
   * @param name {@code twostep.catalog}: a catalog's name or class name, or {@code null}
   * @throws TwostepStartupException when there is none, or several and {@code name} does not
   *     pick exactly one
   */
  static MigrationCatalog choose(ClassLoader classLoader, String name) {
    List<MigrationCatalog> found = new ArrayList<>();
    ServiceLoader.load(MigrationCatalog.class, classLoader).forEach(found::add);
    if (found.isEmpty()) {
      throw new TwostepStartupException("no migration catalog on the class path (META-INF/services/"
          + MigrationCatalog.class.getName() + ").",
          "Compile the migrations with twostep-processor on the annotation processor path, or set twostep.enabled=false.");
    }
    String list = found.stream().map(c -> c.name() + " (" + c.getClass().getName() + ")").sorted()
        .collect(Collectors.joining(", "));
    if (name == null || name.isBlank()) {
      if (found.size() == 1) {
        return found.get(0);
      }
      throw new TwostepStartupException(found.size() + " migration catalogs on the class path: " + list + ".",
          "Choose one with twostep.catalog=<name>.");
    }
    List<MigrationCatalog> named = found.stream()
        .filter(c -> c.name().equals(name.trim()) || c.getClass().getName().equals(name.trim())).toList();
    if (named.size() != 1) {
      throw new TwostepStartupException("twostep.catalog=" + name + " names " + (named.isEmpty() ? "no" : "more than one")
          + " catalog on the class path; found: " + list + ".",
          "Set twostep.catalog to one of these names or class names.");
    }
    return named.get(0);
  }
}
