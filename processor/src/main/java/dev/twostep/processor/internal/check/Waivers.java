package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import dev.twostep.Waiver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies {@code @Waive} and {@code @SuppressWarnings("twostep:<rule>")} to the problems the
 * rules found, and checks the waivers themselves (rule {@code waiver}). A pure function of the
 * model: the entry class only reports what it returns.
 */
public final class Waivers {
  private Waivers() {}

  /**
   * The diagnostics with waived errors turned into notes and suppressed warnings removed, plus
   * the problems of the waivers (blank reason, unknown or unwaivable rule, waiving nothing).
   */
public static List<Diagnostic> apply(MigrationSetModel set, List<Diagnostic> diagnostics) {
    Map<String, MigrationModel> byName = new LinkedHashMap<>();
    for (MigrationModel m : set.migrations()) {
      byName.put(m.className(), m);
    }
    List<Diagnostic> out = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    for (Diagnostic d : diagnostics) {
      MigrationModel m = d.className() == null ? null : byName.get(d.className());
      if (m == null) {
        out.add(d);
        continue;
      }
      if (d.severity() == Diagnostic.Severity.WARNING && m.suppresses(d.rule())) {
        continue;
      }
      Waiver waiver = d.severity() == Diagnostic.Severity.ERROR ? m.waiverOf(d.rule()) : null;
      if (waiver != null && !waiver.reason().isBlank() && d.rule().waivable()) {
        out.add(d.waived(waiver.reason()));
        used.add(m.className() + "|" + d.rule());
      } else {
        out.add(d);
      }
    }
    Diagnostic.Severity error = Diagnostic.Severity.ERROR;
    for (MigrationModel m : set.migrations()) {
      for (int i = 0; i < m.waivers().size(); i++) {
        Waiver w = m.waivers().get(i);
        if (w.reason().isBlank()) {
          out.add(Diagnostic.onWaiver(error, m, i, Messages.waiverBlankReason(m, w.rule())));
        } else if (Rule.byId(w.rule()).isEmpty()) {
          out.add(Diagnostic.onWaiver(error, m, i, Messages.waiverUnknownRule(m, w.rule(), Rule.waivableIds())));
        } else if (!Rule.byId(w.rule()).get().waivable()) {
          out.add(Diagnostic.onWaiver(error, m, i, Messages.waiverNotWaivable(m, w.rule(), Rule.waivableIds())));
        } else if (!used.contains(m.className() + "|" + w.rule()) && !m.suppresses(Rule.WAIVER)) {
          out.add(Diagnostic.onWaiver(Diagnostic.Severity.WARNING, m, i, Messages.waiverUnused(m, w.rule())));
        }
      }
    }
    return out;
  }
}
