package dev.twostep.runtime.internal;

import java.net.UnknownHostException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Reads an {@link SQLException} for messages meant for people: PostgreSQL's own one-line message
 * instead of the driver's multi-line text, and whether the failure means the session is gone.
 * Decisions are made on SQLSTATE, never on message text.
 */
public final class SqlFailures {
  private SqlFailures() {}

  /**
   * PostgreSQL's message without the {@code ERROR:} prefix and the driver's {@code Position:}
   * and {@code Where:} lines; for a failure without a server message, the driver's message, on
   * one line, followed by the cause when the driver's message alone says nothing
   * ({@code The connection attempt failed.}).
   */
  public static String message(SQLException e) {
    if (e instanceof PSQLException && ((PSQLException) e).getServerErrorMessage() != null) {
      ServerErrorMessage server = ((PSQLException) e).getServerErrorMessage();
      if (server.getMessage() != null) {
        return oneLine(server.getMessage());
      }
    }
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
    Throwable cause = e.getCause();
    if (cause instanceof UnknownHostException) {
      text += " (unknown host " + oneLine(String.valueOf(cause.getMessage())) + ")";
    } else if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
      text += " (" + oneLine(cause.getMessage()) + ")";
    }
    return text;
  }

  /**
   * True when the session is gone: a connection exception (SQLSTATE class 08) or the server ended
   * it ({@code 57P01} administrator command or shutdown, {@code 57P02} crash of another backend,
   * {@code 57P03} starting up or shutting down).
   */
  public static boolean isConnectionLost(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
        || state.equals("57P03"));
  }

  private static String oneLine(String text) {
    String first = text.strip();
    int newline = first.indexOf('\n');
    return (newline < 0 ? first : first.substring(0, newline)).strip();
  }
}
