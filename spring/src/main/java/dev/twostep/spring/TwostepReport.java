package dev.twostep.spring;

import dev.twostep.Migration;
import dev.twostep.runtime.CheckResult;
import dev.twostep.runtime.LiveInstance;
import dev.twostep.runtime.StatusEntry;
import dev.twostep.runtime.StatusReport;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.TwostepException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the actuator shows of Twostep, read from the database on each call: the schema state,
 * whether this release's code may run on it, the applied and pending migrations, and which of
 * the catalog's releases' code may run on the schema, and the application instances live now.
 * Shared by the endpoint and the health indicators of both Boot lines.
 */
final class TwostepReport {
  private final Twostep twostep;
  private final TwostepInstanceRegistrar registrar;

  /** A report on {@code twostep}; {@code registrar} is this instance's, or {@code null} when it does not register. */
  TwostepReport(Twostep twostep, TwostepInstanceRegistrar registrar) {
    this.twostep = twostep;
    this.registrar = registrar;
  }

  /** The check of the catalog's newest release. */
  CheckResult check() {
    return twostep.check(twostep.catalog().newestRelease().text());
  }

  /**
   * What the health indicators of both Boot lines report.
   *
   * @param up whether this release's code may run on the schema
   * @param details the release, state and explanation
   * @param error why the database could not be read, or {@code null}
   */
  record HealthView(boolean up, Map<String, Object> details, TwostepException error) {}

  /** The check of the newest release as health: DOWN when incompatible or the database cannot be read. */
  HealthView health() {
    CheckResult check;
    try {
      check = check();
    } catch (TwostepException e) {
      return new HealthView(false, Map.of(), e);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("release", check.release());
    details.put("state", check.state().toString());
    details.put("compatible", check.compatible());
    details.put("explanation", check.explanation());
    return new HealthView(check.compatible(), details, null);
  }

  /** Everything the {@code twostep} endpoint shows. */
  Map<String, Object> describe() {
    StatusReport status = twostep.status();
    CheckResult check = check();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("catalog", status.catalogName());
    report.put("release", status.newestRelease());
    report.put("historyTable", status.historyTable());
    report.put("state", status.state().toString());
    report.put("compatible", check.compatible());
    report.put("explanation", check.explanation());
    report.put("supportedStates", check.supported().stream().map(Object::toString).toList());
    List<String> applied = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> drift = new ArrayList<>();
    for (StatusEntry entry : status.entries()) {
      switch (entry.state()) {
        case APPLIED -> applied.add(entry.displayName());
        case PENDING -> pending.add(entry.displayName());
        case DRIFT -> drift.add(entry.displayName() + " (" + entry.label() + ")");
      }
    }
    report.put("applied", applied);
    report.put("pending", pending);
    report.put("drift", drift);
    report.put("compatibleReleases", compatibleReleases());
    if (registrar != null) {
      report.put("instanceId", registrar.registration().instanceId());
    }
    report.put("instances", twostep.instances().stream().map(TwostepReport::describe).toList());
    return report;
  }

  /** A live instance as the endpoint shows it; times are the database's, in ISO-8601. */
  private static Map<String, Object> describe(LiveInstance instance) {
    Map<String, Object> shown = new LinkedHashMap<>();
    shown.put("release", instance.release());
    shown.put("host", instance.host());
    shown.put("pid", instance.pid());
    shown.put("instanceId", instance.instanceId());
    shown.put("startedAt", instance.startedAt().toString());
    shown.put("lastSeen", instance.lastSeen().toString());
    shown.put("lease", instance.lease().toString());
    return shown;
  }

  /** The catalog's releases whose code may run on the schema now, oldest first. */
  private List<String> compatibleReleases() {
    List<String> releases = new ArrayList<>();
    String last = null;
    for (Migration migration : twostep.catalog().migrations()) {
      String release = migration.release().text();
      if (!release.equals(last) && twostep.check(release).compatible()) {
        releases.add(release);
      }
      last = release;
    }
    return releases;
  }
}
