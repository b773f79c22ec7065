package dev.twostep.processor.internal.model;

import dev.twostep.Phase;
import dev.twostep.Release;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lock file of shipped releases: one line per migration of every shipped release, with its
 * checksum, sorted in order of application, behind a short header saying what the file is. Plain
 * text so reviewers read its diff in a pull request. Pure string in, string out: reading and
 * writing the file on disk is the processor's business.
 *
 * <pre>
 * 1.0.0  pre   1     8b3e1b773036fc75f9b402dc868cd515b3e4f9804bfac4dfbf3ac6d9a9ca95de  create jobs
 * </pre>
 *
 * @param entries the shipped migrations, in order of application
 */
public record LockFile(List<Entry> entries) {
  static final String HEADER = """
      # Twostep lock file: every migration of every shipped release, with its SHA-256 checksum.
      # Shipped migrations have run on someone's database: the compiler rejects a build whose
      # sources change, add to or remove any migration listed here (rules shipped-changed,
      # shipped-added, shipped-removed). Never edit this file by hand; when a release ships,
      # record it with mvn twostep:ship -Dtwostep.release=<release>.
      """;
  private static final String COLUMNS = "# columns: release, phase, step, sha256 of the SQL (of the code, for a Java migration), description\n";

  /** Orders entries as migrations are applied. */
  public static final Comparator<Entry> ORDER =
      Comparator.comparing((Entry e) -> Release.parse(e.release()))
          .thenComparing(Entry::phase)
          .thenComparingInt(Entry::step);

  public LockFile {
    entries = entries.stream().sorted(ORDER).toList();
  }

  /**
   * One shipped migration.
   *
   * @param release as spelled in the sources when it shipped
   * @param phase pre or post
   * @param step its step
   * @param checksum its checksum when it shipped
   * @param description its description when it shipped (informative: not compared)
   * @param line the line of the file it was read from, 0 when not read from a file
   */
  public record Entry(String release, Phase phase, int step, String checksum, String description, int line) {
    /** {@code "pre-migration 1.0.0 step 1 (create jobs)"}. */
    public String label() {
      return phase.label() + "-migration " + release + " step " + step + " (" + description + ")";
    }

    /** True when {@code m} is at this entry's place in the order. */
    public boolean isAt(MigrationModel m) {
      return m.phase() == phase && m.step() == step && Release.isValid(m.release())
          && Release.parse(m.release()).equals(Release.parse(release));
    }
  }

  /** A lock file that cannot be read, with the line at fault. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    public MalformedException(int line, String message) {
      super(message);
      this.line = line;
    }

    /** The 1-based line of the file. */
    public int line() {
      return line;
    }
  }

  /** The empty lock file: nothing shipped yet. */
  public static LockFile empty() {
    return new LockFile(List.of());
  }

  /** Parses the text of a lock file. */
  public static LockFile parse(String text) throws MalformedException {
    List<Entry> entries = new ArrayList<>();
    Map<Place, Integer> seen = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+", 5);
      if (fields.length < 4) {
        throw new MalformedException(number,
            "expected 'release phase step sha256 description' but found \"" + line + "\"");
      }
      if (!Release.isValid(fields[0])) {
        throw new MalformedException(number, "\"" + fields[0] + "\" is not a release");
      }
      if (Release.parse(fields[0]).isNext()) {
        throw new MalformedException(number, "a \"next\" migration is recorded, but only numbered releases are "
            + "shipped: ship the release (mvn twostep:ship -Dtwostep.release=<release>) instead of editing the file");
      }
      Phase phase;
      try {
        phase = Phase.parse(fields[1]);
      } catch (IllegalArgumentException e) {
        throw new MalformedException(number, "\"" + fields[1] + "\" is not a phase (pre or post)");
      }
      int step;
      try {
        step = Integer.parseInt(fields[2]);
      } catch (NumberFormatException e) {
        step = 0;
      }
      if (step < 1) {
        throw new MalformedException(number, "\"" + fields[2] + "\" is not a step (1, 2, ...)");
      }
      if (!fields[3].matches("[0-9a-f]{64}")) {
        throw new MalformedException(number, "\"" + fields[3] + "\" is not a SHA-256 checksum (64 lower-case hex digits)");
      }
      // Release equality is numeric, so 1.0 and 1.0.0 are one place
      Integer before = seen.put(new Place(Release.parse(fields[0]), phase, step), number);
      if (before != null) {
        throw new MalformedException(number, "lists " + phase.label() + "-migration " + fields[0] + " step " + step
            + " again (first on line " + before + ")");
      }
      entries.add(new Entry(fields[0], phase, step, fields[3], fields.length == 5 ? fields[4] : "", number));
    }
    return new LockFile(entries);
  }

  /** A position in the order of application. */
  private record Place(Release release, Phase phase, int step) {}

  /** The newest release listed, if any. */
  public Optional<Release> newestRelease() {
    return entries.isEmpty() ? Optional.empty() : Optional.of(Release.parse(entries.get(entries.size() - 1).release()));
  }

  /** The entry at {@code m}'s place, if listed. */
  public Optional<Entry> entryAt(MigrationModel m) {
    return entries.stream().filter(e -> e.isAt(m)).findFirst();
  }

  /** The file's text: header, then one aligned line per entry. */
  public String format() {
    int releaseWidth = 1;
    for (Entry e : entries) {
      releaseWidth = Math.max(releaseWidth, e.release().length());
    }
    StringBuilder out = new StringBuilder(HEADER).append(COLUMNS);
    for (Entry e : entries) {
      out.append(String.format("%-" + releaseWidth + "s  %-5s  %-4d  %s  %s",
          e.release(), e.phase().label(), e.step(), e.checksum(), e.description()).stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
