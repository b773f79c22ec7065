package dev.twostep.examples.service;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Release;
import dev.twostep.examples.shop.db.ShopMigrations;
import java.util.List;
import java.util.Optional;

/**
 * The Shop catalog as the build of release 2.0.0 compiled it: the migrations of releases up to
 * 2.0.0, whose newest release is 2.0.0. Registered only by {@link Release2Service}'s class loader.
 */
public final class Release2Catalog implements MigrationCatalog {
  private static final Release RELEASE = Release.parse("2.0.0");
  private final ShopMigrations shop = new ShopMigrations();

  @Override
  public String name() {
    return shop.name();
  }

  @Override
  public List<Migration> migrations() {
    return shop.migrations().stream().filter(m -> m.release().compareTo(RELEASE) <= 0).toList();
  }

  @Override
  public Optional<Release> checkedFrom() {
    return shop.checkedFrom();
  }
}
