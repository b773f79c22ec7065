package dev.twostep.runtime;

import java.util.Objects;

/**
 * A database session that holds a lock a migration waits for, as {@code pg_stat_activity} shows
 * it: reported to a {@link MigrationListener} while the migration waits, and named in the error
 * when the migration gives up.
 *
 * @param pid the blocking backend's process id ({@code SELECT pg_terminate_backend(pid)} ends it)
 * @param application its {@code application_name}, possibly empty
 * @param user its user name; empty when PostgreSQL does not show it
 * @param state its state, e.g. {@code idle in transaction}; empty when PostgreSQL does not show it
 *     (a session of another user, seen without {@code pg_read_all_stats})
 * @param transactionMs how long its transaction has been open, or -1 when it has none
 * @param query its current query, or its last one when idle; empty when unknown
 */
public record BlockingSession(int pid, String application, String user, String state, long transactionMs, String query) {
  /**
   * Checks that no text is missing.
   *
   * @throws NullPointerException when a text is {@code null} (an unknown one is {@code ""})
   */
  public BlockingSession {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(query, "query");
  }

  /** {@code pid 123 (user postgres, idle in transaction, transaction open for 2300 ms) last query: LOCK ...}. */
  public String describe() {
    StringBuilder out = new StringBuilder("pid ").append(pid).append(" (");
    if (!user.isEmpty()) {
      out.append("user ").append(user).append(", ");
    }
    if (!application.isEmpty()) {
      out.append("application '").append(application).append("', ");
    }
    out.append(state.isEmpty() ? "state unknown" : state);
    if (transactionMs >= 0) {
      out.append(", transaction open for ").append(transactionMs).append(" ms");
    }
    out.append(')');
    String q = shortQuery();
    if (!q.isEmpty()) {
      boolean idle = state.startsWith("idle");
      out.append(idle ? " last query: " : " running: ").append(q);
    }
    return out.toString();
  }

  /** The query on one line, at most 200 characters; empty when unknown. */
  public String shortQuery() {
    if (query.isBlank()) {
      return "";
    }
    String q = query.strip().replaceAll("\\s+", " ");
    return q.length() > 200 ? q.substring(0, 200) + "..." : q;
  }
}
