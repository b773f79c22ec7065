package dev.twostep.runtime;

/**
 * A database session that holds a lock a migration waits for, as {@code pg_stat_activity} shows
 * it: reported to a {@link MigrationListener} while the migration waits, and named in the error
 * when the migration gives up.
 *
 * @param pid the blocking backend's process id ({@code SELECT pg_terminate_backend(pid)} ends it)
 * @param application its {@code application_name}, possibly empty
 * @param user its user name
 * @param state its state, e.g. {@code idle in transaction}
 * @param transactionMs how long its transaction has been open, or -1 when it has none
 * @param query its current query, or its last one when idle
 */
public record BlockingSession(int pid, String application, String user, String state, long transactionMs, String query) {
  /** {@code pid 123 (user postgres, idle in transaction, transaction open for 2300 ms) last query: LOCK ...}. */
  public String describe() {
    StringBuilder out = new StringBuilder("pid ").append(pid).append(" (");
    if (user != null) {
      out.append("user ").append(user).append(", ");
    }
    if (application != null && !application.isEmpty()) {
      out.append("application '").append(application).append("', ");
    }
    out.append(state == null ? "state unknown" : state);
    if (transactionMs >= 0) {
      out.append(", transaction open for ").append(transactionMs).append(" ms");
    }
    out.append(')');
    String q = shortQuery();
    if (!q.isEmpty()) {
      boolean idle = state != null && state.startsWith("idle");
      out.append(idle ? " last query: " : " running: ").append(q);
    }
    return out.toString();
  }

  /** The query on one line, at most 200 characters; empty when unknown. */
  public String shortQuery() {
    if (query == null || query.isBlank()) {
      return "";
    }
    String q = query.strip().replaceAll("\\s+", " ");
    return q.length() > 200 ? q.substring(0, 200) + "..." : q;
  }
}
