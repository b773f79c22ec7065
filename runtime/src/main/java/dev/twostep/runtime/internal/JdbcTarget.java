package dev.twostep.runtime.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The server and database a {@code jdbc:postgresql:} URL names, read from the URL itself (the
 * driver would fill a missing database name with the user's name, so a URL without one would
 * silently migrate another database).
 */
public record JdbcTarget(String host, String port, String database) {

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException when the URL names no database; the message shows the URL
   *     with its password masked and how to write it
   */
  public static JdbcTarget parse(String url) {
    String rest = url.startsWith("jdbc:postgresql:") ? url.substring("jdbc:postgresql:".length()) : url;
    int query = rest.indexOf('?');
    String beforeQuery = query < 0 ? rest : rest.substring(0, query);
    String path;
    if (beforeQuery.startsWith("//")) {
      int slash = beforeQuery.indexOf('/', 2);
      path = slash < 0 ? "" : beforeQuery.substring(slash + 1);
    } else {
      path = beforeQuery.startsWith("/") ? beforeQuery.substring(1) : beforeQuery;
    }
    String database = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    Properties parsed = Driver.parseURL(url, new Properties());
    if (database.isBlank() || parsed == null) {
      throw new IllegalArgumentException("the URL " + Redaction.mask(url, Redaction.urlPasswords(url)) + " names no database, and PostgreSQL "
          + "would then use the database named after the user. Name it: jdbc:postgresql://host:5432/<database>");
    }
    return new JdbcTarget(parsed.getProperty("PGHOST"), parsed.getProperty("PGPORT"), database);
  }

  /**
   * {@code host:port/database}, e.g. {@code db.example.com:5432/shop}; several hosts (failover
   * URLs) as {@code h1:5432,h2:5433/shop}. Never a password.
   */
  public String address() {
    String[] hosts = host.split(",", -1);
    String[] ports = port.split(",", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hosts.length; i++) {
      String h = hosts[i].contains(":") ? "[" + hosts[i] + "]" : hosts[i];
      out.append(i == 0 ? "" : ",").append(h).append(':').append(i < ports.length ? ports[i] : ports[ports.length - 1]);
    }
    return out.append('/').append(database).toString();
  }

  /** {@code host h, port p, database d}: never a password. */
  public String describe() {
    return "host " + host + ", port " + port + ", database " + database;
  }
}
