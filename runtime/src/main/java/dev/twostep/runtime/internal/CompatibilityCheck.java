package dev.twostep.runtime.internal;

import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.runtime.CheckResult;
import dev.twostep.runtime.SchemaState;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.stream.Collectors;

/**
 * The compatibility matrix of blue-green deploys: code of release N may run on S_pre(N), S(N)
 * and S_pre(N+1), where N+1 is the next release the catalog or the history knows; not on S(N-1)
 * or earlier, and not on S(N+1) or later.
 *
 * <p>A release with no migrations (known to neither catalog nor history) has the schema of the
 * newest release before it: its code may run on S(that release) and on S_pre of the next release.
 */
public final class CompatibilityCheck {
  private CompatibilityCheck() {}

  /** Whether code of {@code release} may run on the database {@code history} describes. */
  public static CheckResult check(CatalogHistory history, Release release) {
    return check(new AppliedSteps.Position(history.knownReleases(), history.state(), history.reached()), release);
  }

  /** Whether code of {@code release} may run on a database at {@code position}. */
  public static CheckResult check(AppliedSteps.Position position, Release release) {
    NavigableSet<Release> known = position.knownReleases();
    List<SchemaState> supported = new ArrayList<>();
    String note = "";
    if (known.contains(release)) {
      supported.add(SchemaState.of(release, Phase.PRE));
      supported.add(SchemaState.of(release, Phase.POST));
    } else {
      Release previous = known.lower(release);
      supported.add(previous == null ? SchemaState.EMPTY : SchemaState.of(previous, Phase.POST));
      note = " Release " + release + " has no migrations, so its code needs the schema of "
          + (previous == null ? "an empty database" : "release " + previous) + ".";
    }
    Release next = known.higher(release);
    if (next != null) {
      supported.add(SchemaState.of(next, Phase.PRE));
    }
    SchemaState state = position.state();
    SchemaState reached = position.reached();
    boolean compatible = supported.contains(state) && supported.contains(reached);
    String list = supported.stream().map(SchemaState::toString).collect(Collectors.joining(", "));
    String explanation;
    if (compatible) {
      explanation = "code of release " + release + " may run on schema state " + state + " (it supports " + list + ").";
    } else if (state.compareTo(supported.get(0)) < 0 && reached.compareTo(supported.get(0)) >= 0) {
      // everything the code needs is applied, but an incomplete or unknown release holds the state back:
      // applying more would change nothing
      Release holding = state.isEmpty() ? known.first() : state.release();
      explanation = "code of release " + release + " needs schema state " + supported.get(0) + " or later; the "
          + "migrations up to " + reached + " are applied, but the schema state stays at " + state + " because the "
          + "history has migrations of release " + holding + " that this catalog does not have, or not all "
          + "of them (see `status` and `verify`). Deploy with the catalog that has release " + holding
          + ", or, if " + holding + " was abandoned, undo its changes and delete its history rows.";
    } else if (state.compareTo(supported.get(0)) < 0) {
      explanation = "code of release " + release + " needs schema state " + supported.get(0) + " or later, but the database is at "
          + state + (reached.equals(state) ? "" : " (partly " + reached + ")") + ". Apply "
          + (supported.get(0).isEmpty() ? "nothing" : "`migrate --to " + supported.get(0) + "`") + " first.";
    } else {
      SchemaState beyond = reached.compareTo(supported.get(supported.size() - 1)) > 0 ? reached : state;
      explanation = "code of release " + release + " may not run on schema state " + state
          + (reached.equals(state) ? "" : " (partly " + reached + ")") + ": " + beyond
          + " is newer than it supports (" + list + "); its post-migrations removed what older code uses. "
          + "Deploy code of release " + beyond.release() + " or later.";
    }
    return new CheckResult(release.text(), state, reached, supported, compatible, explanation + note);
  }
}
