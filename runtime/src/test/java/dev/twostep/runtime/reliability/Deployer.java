package dev.twostep.runtime.reliability;

import dev.twostep.MigrationCatalog;
import java.util.Arrays;

/**
 * A deployer process: what a generated catalog's {@code main} does, for a test catalog named by
 * the first argument. The other arguments go to the command line.
 */
public final class Deployer {
  private Deployer() {}

  public static void main(String[] args) {
    MigrationCatalog catalog = ReliabilityCatalogs.named(args[0]);
    System.exit(MigrationCatalog.runCommandLine(catalog, Arrays.copyOfRange(args, 1, args.length)));
  }
}
