package dev.twostep.runtime.internal;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Proves that a database has the schema of a state before {@code baseline} records migrations
 * without running them. Implemented by the snapshot package ({@code snapshot.BaselineProof}),
 * which rehearses on scratch databases through {@code Twostep} itself; the entry class finds it
 * through {@link ServiceLoader}, so the dependency between the two packages points one way.
 */
public interface SchemaProof {
  /**
   * The differences between the schema read on {@code live} and the schema of the catalog applied
   * up to {@code goal} on an empty scratch database of {@code server}, as lines for people; empty
   * when there are none.
   *
   * @param catalog the catalog to rehearse
   * @param server the server's URL, user and password (user and password may be null)
   * @param historySchema the history table's schema
   * @param historyTable the history table's name
   * @param lockTimeout the lock timeout of the scratch deploy
   * @param live a connection to the database to baseline
   * @param goal the state to prove, {@code R:post}
   * @throws TwostepException when the scratch database cannot be created or migrated, or the live
   *     schema cannot be read
   */
  Optional<String> differences(MigrationCatalog catalog, ConnectionSource.Login server, String historySchema,
      String historyTable, Duration lockTimeout, Connection live, SchemaState goal);

  /**
   * The proof on the runtime's class path, found through {@link ServiceLoader} with the runtime's
   * own class loader.
   *
   * @throws TwostepException when none is found (a repackaged runtime that lost its
   *     {@code META-INF/services} entry)
   */
  static SchemaProof find() {
    return ServiceLoader.load(SchemaProof.class, SchemaProof.class.getClassLoader()).findFirst()
        .orElseThrow(() -> new TwostepException(Reason.REFUSED, "cannot prove the schema: no " + SchemaProof.class.getName()
            + " in META-INF/services on the class path (a fat jar built without the shade plugin's"
            + " ServicesResourceTransformer drops it). Keep the services files, or skip the proof with --trust-schema"));
  }
}
