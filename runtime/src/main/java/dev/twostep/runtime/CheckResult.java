package dev.twostep.runtime;

import java.util.List;

/**
 * Whether code of a release may run on the database's current schema, as answered by
 * {@link Twostep#check(String)}.
 *
 * @param release the release of the code, as asked
 * @param state the schema state: the highest (release, phase) applied completely
 * @param reached the highest (release, phase) of which anything is applied; after {@code state}
 *     when a phase is applied partly
 * @param supported the schema states code of {@code release} may run on, in order
 * @param compatible true when both {@code state} and {@code reached} are supported
 * @param explanation a sentence for people saying why
 */
public record CheckResult(
    String release, SchemaState state, SchemaState reached, List<SchemaState> supported, boolean compatible,
    String explanation) {
  /** Copies the list. */
  public CheckResult {
    supported = List.copyOf(supported);
  }
}
