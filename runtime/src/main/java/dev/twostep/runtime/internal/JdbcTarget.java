package dev.twostep.runtime.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
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
    Pieces pieces = Pieces.of(url);
    String database = URLDecoder.decode(pieces.path().replace("+", "%2B"), StandardCharsets.UTF_8);
    Properties parsed = Driver.parseURL(url, new Properties());
    if (database.isBlank() || parsed == null) {
      throw new IllegalArgumentException("the URL " + Redaction.mask(url, Redaction.urlPasswords(url)) + " names no database, and PostgreSQL "
          + "would then use the database named after the user. Name it: jdbc:postgresql://host:5432/<database>");
    }
    return new JdbcTarget(parsed.getProperty("PGHOST"), parsed.getProperty("PGPORT"), database);
  }

  /**
   * {@code url} with another database: the same hosts and ports (several for failover URLs, IPv6
   * in brackets) and the same parameters, for a scratch database on the same server.
   *
   * @throws IllegalArgumentException when {@code url} names no database, as {@link #parse}
   */
  public static String withDatabase(String url, String database) {
    parse(url);
    Pieces pieces = Pieces.of(url);
    String encoded = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    return PREFIX + pieces.authority() + (pieces.authority().isEmpty() ? "" : "/") + encoded + pieces.query();
  }

  private static final String PREFIX = "jdbc:postgresql:";

  /**
   * A URL cut at its database: {@code //hosts} (or empty for {@code jdbc:postgresql:db}), the
   * database as written, and {@code ?parameters} (or empty).
   */
  private record Pieces(String authority, String path, String query) {
    static Pieces of(String url) {
      String rest = url.startsWith(PREFIX) ? url.substring(PREFIX.length()) : url;
      int q = rest.indexOf('?');
      String query = q < 0 ? "" : rest.substring(q);
      String beforeQuery = q < 0 ? rest : rest.substring(0, q);
      if (beforeQuery.startsWith("//")) {
        int slash = beforeQuery.indexOf('/', 2);
        return slash < 0 ? new Pieces(beforeQuery, "", query)
            : new Pieces(beforeQuery.substring(0, slash), beforeQuery.substring(slash + 1), query);
      }
      return new Pieces("", beforeQuery.startsWith("/") ? beforeQuery.substring(1) : beforeQuery, query);
    }
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
