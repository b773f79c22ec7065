/**
 * The migrations of the Shop job queue, one file per release. The generated classes
 * {@code ShopMigrations} (the catalog and its command line) and {@code ShopSchema} (the names of
 * the versioned functions the newest code calls) land in this package.
 */
@MigrationSet(name = "Shop")
package dev.twostep.examples.shop.db;

import dev.twostep.MigrationSet;
