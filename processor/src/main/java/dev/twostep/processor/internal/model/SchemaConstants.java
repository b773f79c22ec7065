package dev.twostep.processor.internal.model;

import dev.twostep.ObjectKind;
import dev.twostep.processor.internal.model.ObjectTimeline.Incarnation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Picks and names the constants of the generated {@code <Name>Schema} from an {@link ObjectTimeline}. */
final class SchemaConstants {
  private SchemaConstants() {}

  /** One object to name: all overloads of its newest callable version. */
  private record Candidate(Incarnation version, List<String> signatures) {
    ObjectKind kind() {
      return version.kind();
    }

    String base() {
      return version.name().unversionedName();
    }

    String schema() {
      return version.name().effectiveSchema();
    }

    String sortKey() {
      return snake(base()) + "\u0000" + kind() + "\u0000" + schema() + "\u0000" + version.name().name()
          + "\u0000" + (version.table() == null ? "" : version.table().sql());
    }
  }

  static List<SchemaConstant> of(ObjectTimeline timeline, Set<ObjectKind> versioned, String setName) {
    // Overloads of one routine name are one object to call.
    Map<ObjectTimeline.NameKey, List<Incarnation>> byName = new LinkedHashMap<>();
    for (Incarnation inc : timeline.callableByNewestRelease()) {
      if (inc.kind() != null && versioned.contains(inc.kind())) {
        byName.computeIfAbsent(inc.nameKey(), k -> new ArrayList<>()).add(inc);
      }
    }
    // Of several versions of one object that code may call, code of the newest release calls the newest.
    Map<List<String>, Candidate> newest = new LinkedHashMap<>();
    for (List<Incarnation> overloads : byName.values()) {
      Incarnation first = overloads.get(0);
      List<String> signatures = overloads.stream()
          .map(Incarnation::signature).filter(s -> s != null).sorted().distinct().toList();
      Candidate candidate = new Candidate(first, signatures);
      List<String> object = List.of(first.kind().name(), first.name().effectiveSchema(), first.name().unversionedName(),
          first.table() == null ? "" : first.table().effectiveSchema() + "." + first.table().name());
      Candidate other = newest.get(object);
      if (other == null || newer(candidate, other)) {
        newest.put(object, candidate);
      }
    }
    List<Candidate> candidates = new ArrayList<>(newest.values());
    candidates.sort(Comparator.comparing(Candidate::sortKey));
    List<String> names = uniqueNames(candidates, snake(setName) + "_");
    List<SchemaConstant> out = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      Incarnation v = c.version();
      out.add(new SchemaConstant(names.get(i), v.name().sql(), v.kind(), v.name().version(),
          v.created().migration().release(), c.signatures(), v.table() == null ? null : v.table().sql()));
    }
    out.sort(Comparator.comparing(SchemaConstant::constantName));
    return out;
  }

  private static boolean newer(Candidate a, Candidate b) {
    int va = a.version().name().version();
    int vb = b.version().name().version();
    return va != vb ? va > vb : a.version().name().name().compareTo(b.version().name().name()) > 0;
  }

  /**
   * The plain name without the set's prefix ({@code shop_fetch_job} in set {@code Shop} becomes
   * {@code FETCH_JOB}, as application code reads best: {@code ShopSchema.FETCH_JOB}); where names
   * clash the kind is appended, then the schema prefixed, then a number.
   */
  private static List<String> uniqueNames(List<Candidate> candidates, String setPrefix) {
    List<String> names = new ArrayList<>();
    for (Candidate c : candidates) {
      names.add(withoutPrefix(snake(c.base()), setPrefix));
    }
    for (int level = 1; level <= 2; level++) {
      Map<String, Integer> counts = counts(names);
      for (int i = 0; i < names.size(); i++) {
        if (counts.get(names.get(i)) > 1) {
          Candidate c = candidates.get(i);
          names.set(i, level == 1
              ? withoutPrefix(snake(c.base()), setPrefix) + "_" + c.kind().name()
              : snake(c.schema()) + "_" + snake(c.base()) + "_" + c.kind().name());
        }
      }
    }
    Map<String, Integer> counts = counts(names);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (counts.get(name) > 1) {
        int n = seen.merge(name, 1, Integer::sum);
        if (n > 1) {
          names.set(i, name + "_" + n);
        }
      }
    }
    return names;
  }

  /** {@code SHOP_FETCH_JOB} without {@code SHOP_} is {@code FETCH_JOB}; a name that is only the prefix keeps it. */
  static String withoutPrefix(String constant, String setPrefix) {
    if (constant.startsWith(setPrefix) && constant.length() > setPrefix.length()
        && Character.isLetter(constant.charAt(setPrefix.length()))) {
      return constant.substring(setPrefix.length());
    }
    return constant;
  }

  private static Map<String, Integer> counts(List<String> names) {
    Map<String, Integer> counts = new HashMap<>();
    for (String name : names) {
      counts.merge(name, 1, Integer::sum);
    }
    return counts;
  }

  /** {@code shop_fetch_job} and {@code "ShopFetchJob"} both become {@code SHOP_FETCH_JOB}. */
  static String snake(String name) {
    StringBuilder out = new StringBuilder();
    char previous = '_';
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!letterOrDigit) {
        c = '_';
      } else if (c >= 'A' && c <= 'Z' && ((previous >= 'a' && previous <= 'z') || (previous >= '0' && previous <= '9'))) {
        out.append('_');
      }
      if (c != '_' || (out.length() > 0 && out.charAt(out.length() - 1) != '_')) {
        out.append(c);
      }
      previous = c;
    }
    while (out.length() > 0 && out.charAt(out.length() - 1) == '_') {
      out.setLength(out.length() - 1);
    }
    String snake = out.toString().toUpperCase(Locale.ROOT);
    if (snake.isEmpty()) {
      return "OBJECT";
    }
    return snake.charAt(0) >= '0' && snake.charAt(0) <= '9' ? "_" + snake : snake;
  }
}
