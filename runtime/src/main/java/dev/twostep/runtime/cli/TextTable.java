package dev.twostep.runtime.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An aligned text table for people: left-aligned columns, right-aligned where asked. */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final Set<Integer> rightAligned;

  TextTable(Set<Integer> rightAligned, String... header) {
    this.rightAligned = rightAligned;
    rows.add(header);
  }

  void add(String... cells) {
    rows.add(cells);
  }

  void print(PrintWriter out) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = row[i];
        boolean last = i == columns - 1;
        String pad = " ".repeat(width[i] - cell.length());
        if (rightAligned.contains(i)) {
          line.append(pad).append(cell);
        } else {
          line.append(cell).append(last ? "" : pad);
        }
        if (!last) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
