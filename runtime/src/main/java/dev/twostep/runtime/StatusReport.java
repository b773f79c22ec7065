package dev.twostep.runtime;

import java.util.List;

/**
 * What {@link Twostep#status()} found: the schema state and every migration of the catalog and
 * row of the history, in order of application.
 *
 * @param catalogName the catalog's name
 * @param newestRelease the catalog's newest release, as written
 * @param historyTable the history table as {@code schema.table}
 * @param state the highest (release, phase) applied completely, together with everything before it
 * @param entries all migrations and history rows in order of application
 */
public record StatusReport(
    String catalogName, String newestRelease, String historyTable, SchemaState state,
    List<StatusEntry> entries) {
  /** Copies the list. */
  public StatusReport {
    entries = List.copyOf(entries);
  }

  /** The migrations not applied yet. */
  public List<StatusEntry> pending() {
    return entries.stream().filter(e -> e.state() == StatusEntry.State.PENDING).toList();
  }

  /**
   * Notes for people, one line each: history rows of {@code release = "next"} migrations that
   * have shipped since they were applied, which the history still keys as {@code next} until the
   * next deploying run re-keys them (they count as applied already).
   */
  public List<String> notes() {
    return entries.stream()
        .filter(e -> e.history().filter(h -> h.release().equals("next")).isPresent() && !e.release().equals("next"))
        .map(e -> "history row next:" + e.phase().label() + " #" + e.step() + " is "
            + e.release() + ":" + e.phase().label() + " #" + e.step() + " (shipped; the next pre, post or migrate re-keys it)")
        .toList();
  }

  /**
   * The entries out of order: applied migrations whose checksum changed, history rows the catalog
   * does not know, and migrations added to a release that was already applied.
   */
  public List<StatusEntry> drift() {
    return entries.stream().filter(e -> e.state() == StatusEntry.State.DRIFT).toList();
  }
}
