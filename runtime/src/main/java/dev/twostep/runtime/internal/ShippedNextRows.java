package dev.twostep.runtime.internal;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.Release;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * History rows of {@code next} migrations that have shipped since they were applied: {@code ship}
 * renamed {@code release = "next"} to a numbered release, and the checksum does not cover the
 * release, so the row is recognised by its phase, step and checksum. Read-only callers key such a
 * row at its shipped position; deployers re-key it in the table ({@link #rekey}).
 */
public final class ShippedNextRows {
  private ShippedNextRows() {}

  /** A history row of a {@code next} migration, as far as recognising it needs. */
  record NextRow(Phase phase, int step, String checksum) {}

  /** A {@code next} history row, re-keyed (or to be re-keyed) as {@code shipped}. */
  public record Rekey(Phase phase, int step, String checksum, Release shipped) {
    /** {@code history row next:pre #2 is now 1.1.0:pre #2 (shipped)}, for people. */
    public String note() {
      return "history row next:" + phase.label() + " #" + step + " is now " + shipped.text() + ":" + phase.label() + " #"
          + step + " (shipped)";
    }
  }

  /**
   * The numbered release a {@code next} row at ({@code phase}, {@code step}) with {@code checksum}
   * shipped as, or empty: empty when the catalog's own {@code next} migration at that step has
   * that checksum (the row is that migration); otherwise the lowest release of a catalog migration
   * at that phase and step with that checksum whose position the history does not hold yet.
   *
   * @param applied whether the history holds a position already
   */
  public static Optional<Release> shippedAs(CatalogIndex catalog, Phase phase, int step, String checksum,
      Predicate<CatalogHistory.Key> applied) {
    Migration own = catalog.migrations().get(new CatalogHistory.Key(Release.NEXT, phase, step));
    if (own != null && own.checksum().equals(checksum)) {
      return Optional.empty();
    }
    for (var e : catalog.migrations().entrySet()) {
      CatalogHistory.Key key = e.getKey();
      if (!key.release().isNext() && key.phase() == phase && key.step() == step
          && e.getValue().checksum().equals(checksum) && !applied.test(key)) {
        return Optional.of(key.release());
      }
    }
    return Optional.empty();
  }

  /**
   * Re-keys every {@code next} row that shipped to its numbered release, in one {@code UPDATE}.
   * For deployers, under the deployer lock, on a connection in autocommit, once the history table
   * exists. A history without {@code next} rows (every production database) costs one query that
   * returns nothing.
   *
   * @return the rows re-keyed, in order of application
   */
  public static List<Rekey> rekey(Connection connection, HistoryTable table, CatalogIndex catalog) throws SQLException {
    List<CatalogHistory.Key> history = new ArrayList<>();
    List<NextRow> nextRows = new ArrayList<>();
    String qualified = table.qualifiedName();
    try (PreparedStatement s = connection.prepareStatement("SELECT release, phase, step, checksum FROM " + qualified
        + " WHERE EXISTS (SELECT 1 FROM " + qualified + " WHERE release = 'next')");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        if (Release.NEXT.text().equals(rs.getString(1))) {
          nextRows.add(new NextRow(Phase.parse(rs.getString(2)), rs.getInt(3), rs.getString(4)));
        } else if (Release.isValid(rs.getString(1))) {
          history.add(new CatalogHistory.Key(Release.parse(rs.getString(1)), Phase.parse(rs.getString(2)), rs.getInt(3)));
        }
      }
    }
    List<Rekey> out = new ArrayList<>();
    for (NextRow row : nextRows) {
      shippedAs(catalog, row.phase(), row.step(), row.checksum(), history::contains)
          .ifPresent(release -> out.add(new Rekey(row.phase(), row.step(), row.checksum(), release)));
    }
    if (out.isEmpty()) {
      return out;
    }
    out.sort((a, b) -> new CatalogHistory.Key(a.shipped(), a.phase(), a.step())
        .compareTo(new CatalogHistory.Key(b.shipped(), b.phase(), b.step())));
    try (PreparedStatement s = connection.prepareStatement("UPDATE " + qualified + " AS h SET release = r.release "
        + "FROM unnest(?::text[], ?::int[], ?::text[], ?::text[]) AS r(phase, step, checksum, release) "
        + "WHERE h.release = 'next' AND h.phase = r.phase AND h.step = r.step AND h.checksum = r.checksum")) {
      s.setArray(1, connection.createArrayOf("text", out.stream().map(r -> r.phase().label()).toArray()));
      s.setArray(2, connection.createArrayOf("int4", out.stream().map(Rekey::step).toArray()));
      s.setArray(3, connection.createArrayOf("text", out.stream().map(Rekey::checksum).toArray()));
      s.setArray(4, connection.createArrayOf("text", out.stream().map(r -> r.shipped().text()).toArray()));
      s.executeUpdate();
    }
    return List.copyOf(out);
  }
}
