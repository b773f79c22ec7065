package dev.twostep.runtime.snapshot;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.runtime.SchemaState;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Rehearsal} found: every (release, phase) applied step by step with its
 * migrations, their timings and the locks seen while they ran; the violations; and whether the
 * whole catalog applied in one go gives the same schema as the steps.
 *
 * @param catalog the catalog's name
 * @param phases every (release, phase) applied step by step, in order; a failed one is the last
 * @param violations what makes the rehearsal fail, in the order found
 * @param waived pre-contract violations of a phase with a migration that waives
 *     {@code pre-contract}: reported, but the rehearsal passes
 * @param wholeVsStepwise the difference from the schema reached step by step to the one reached
 *     by applying the whole catalog in one go; {@code null} when the stepping failed before
 * @param lockSampleIntervalMs how often locks were sampled, 0 when not sampled
 * @param elapsedMs how long the rehearsal took
 */
public record RehearsalReport(
    String catalog,
    List<PhaseResult> phases,
    List<Violation> violations,
    List<Violation> waived,
    SchemaDiff wholeVsStepwise,
    long lockSampleIntervalMs,
    long elapsedMs) {

  /** Copies the lists. */
  public RehearsalReport {
    Objects.requireNonNull(catalog, "catalog");
    phases = List.copyOf(phases);
    violations = List.copyOf(violations);
    waived = List.copyOf(waived);
  }

  /**
   * One (release, phase) applied step by step.
   *
   * @param state the state it reached, e.g. {@code 2.0.0:pre}
   * @param migrations its migrations that were applied, and the failed one last when it failed
   * @param elapsedMs how long applying it took, snapshots not included
   * @param diff what it changed in the schema; {@code null} when it failed
   */
  public record PhaseResult(SchemaState state, List<MigrationResult> migrations, long elapsedMs, SchemaDiff diff) {
    /** Copies the list. */
    public PhaseResult {
      migrations = List.copyOf(migrations);
    }
  }

  /**
   * One migration applied (or failed) during the rehearsal.
   *
   * @param migration the migration
   * @param executionMs how long it ran, as the runtime measured it; -1 when it failed
   * @param attempts how many attempts it took; 0 when it failed
   * @param locks the locks its session was seen holding or waiting for, strongest first
   * @param strongestLock the strongest lock it held on a table that existed before it started
   *     (every lock a transactional migration held is seen; of a non-transactional one, those the
   *     sampler saw); {@code null} when none was seen
   * @param rewrittenTables the tables that existed before it started and got a new file
   *     (relfilenode): rewritten, or truncated; sorted
   */
  public record MigrationResult(Migration migration, long executionMs, int attempts, List<LockUse> locks,
      TableLock strongestLock, List<String> rewrittenTables) {
    /** Copies the lists. */
    public MigrationResult {
      locks = List.copyOf(locks);
      rewrittenTables = List.copyOf(rewrittenTables);
    }

    /** A result without what it did to pre-existing tables. */
    public MigrationResult(Migration migration, long executionMs, int attempts, List<LockUse> locks) {
      this(migration, executionMs, attempts, locks, null, List.of());
    }

    /** True when the migration failed. */
    public boolean failed() {
      return attempts == 0;
    }
  }

  /**
   * The strongest lock a migration held on a table that existed before it started.
   *
   * @param table the table as {@code schema.name}
   * @param mode PostgreSQL's lock mode, e.g. {@code AccessExclusiveLock}
   */
  public record TableLock(String table, String mode) {
    /** True for modes that block the application's INSERT, UPDATE and DELETE on the table. */
    public boolean blocksWrites() {
      return LockUse.BLOCKS_WRITES.contains(mode);
    }

    /** True for {@code AccessExclusiveLock}, which blocks even SELECT. */
    public boolean blocksReads() {
      return mode.equals("AccessExclusiveLock");
    }

    /** {@code AccessExclusiveLock on public.shop_jobs (blocks reads and writes)}. */
    public String describe() {
      return mode + " on " + table
          + (blocksReads() ? " (blocks reads and writes)" : blocksWrites() ? " (blocks writes)" : " (reads and writes go on)");
    }
  }

  /**
   * A lock seen on a relation while a migration ran.
   *
   * @param relation the relation as {@code schema.name}
   * @param relationKind table, index, sequence, view...
   * @param mode PostgreSQL's lock mode, e.g. {@code AccessExclusiveLock}
   * @param waited true when the migration was seen waiting for it
   * @param samples in how many samples it was seen (times the interval: roughly how long)
   */
  public record LockUse(String relation, String relationKind, String mode, boolean waited, int samples) {
    static final Set<String> BLOCKS_WRITES =
        Set.of("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    /** True for modes that block the application's INSERT, UPDATE and DELETE on the relation. */
    public boolean blocksWrites() {
      return BLOCKS_WRITES.contains(mode);
    }

    /** True for {@code AccessExclusiveLock}, which blocks even SELECT. */
    public boolean blocksReads() {
      return mode.equals("AccessExclusiveLock");
    }

    /** {@code AccessExclusiveLock on table public.shop_jobs (blocks reads and writes, 3 samples)}. */
    public String describe() {
      StringBuilder out = new StringBuilder(mode).append(" on ").append(relationKind).append(' ').append(relation)
          .append(" (");
      if (blocksReads()) {
        out.append("blocks reads and writes, ");
      } else if (blocksWrites()) {
        out.append("blocks writes, ");
      }
      if (waited) {
        out.append("waited for it, ");
      }
      return out.append(samples).append(samples == 1 ? " sample)" : " samples)").toString();
    }
  }

  /** Kinds of violations. */
  public enum Kind {
    /**
     * A pre-migration removed or changed something code of the previous release may use (or added
     * a NOT NULL column without default to an existing table).
     */
    PRE_CONTRACT,
    /** The whole catalog applied in one go gives another schema than applying it step by step. */
    WHOLE_VS_STEPWISE,
    /** A migration failed. */
    MIGRATION_FAILED;

    /** {@code pre-contract}, {@code whole-vs-stepwise} or {@code migration-failed}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * Something that makes the rehearsal fail.
   *
   * @param kind what kind of problem
   * @param state where it happened, e.g. {@code 2.0.0:pre}; for {@link Kind#WHOLE_VS_STEPWISE}
   *     the final state
   * @param message what is wrong, in a sentence
   * @param changes the schema differences behind it; empty for a failed migration
   */
  public record Violation(Kind kind, SchemaState state, String message, List<SchemaDiff.Change> changes) {
    /** Copies the list. */
    public Violation {
      changes = List.copyOf(changes);
    }

    /**
     * The message followed by one indented line per change; for {@link Kind#WHOLE_VS_STEPWISE}
     * each line says which database has what ({@code only in one go: table app.audit}).
     */
    public String describe() {
      StringBuilder out = new StringBuilder("[").append(kind.label()).append("] ").append(message);
      for (SchemaDiff.Change change : changes) {
        out.append("\n    ");
        if (kind == Kind.WHOLE_VS_STEPWISE) {
          switch (change.type()) {
            case ADDED:
              out.append("only in one go: ").append(change.object().describe());
              break;
            case REMOVED:
              out.append("only step by step: ").append(change.object().describe());
              break;
            default:
              out.append("differs (step by step -> one go): ").append(change.describe().substring("changed ".length()));
          }
          continue;
        }
        out.append(change.describe());
        if (change.isBreaking() && kind == Kind.PRE_CONTRACT) {
          out.append("\n      (").append(change.incompatibility()).append(')');
        }
      }
      return out.toString();
    }
  }

  /** True when nothing was violated: no pre-migration broke the previous release, one go equals step by step, nothing failed. */
  public boolean passed() {
    return violations.isEmpty();
  }

  /** The violations of {@code kind}. */
  public List<Violation> violations(Kind kind) {
    return violations.stream().filter(v -> v.kind() == kind).toList();
  }

  /** The phases of {@code phase}, in order. */
  public List<PhaseResult> phases(Phase phase) {
    return phases.stream().filter(p -> p.state().phase() == phase).toList();
  }

  /**
   * The report for people: a line per phase and per migration with its time and the locks seen,
   * the outcome of the one-go comparison, and every violation with the schema changes behind it.
   */
  public String render() {
    StringBuilder out = new StringBuilder("Rehearsal of catalog ").append(catalog).append(": ")
        .append(passed() ? "PASSED" : "FAILED").append(" (").append(phases.size()).append(phases.size() == 1 ? " phase, " : " phases, ")
        .append(phases.stream().mapToInt(p -> p.migrations().size()).sum()).append(" migrations, ").append(elapsedMs)
        .append(" ms");
    out.append(lockSampleIntervalMs > 0 ? ", locks sampled every " + lockSampleIntervalMs + " ms)\n" : ", locks not sampled)\n");
    int width = 20;
    for (PhaseResult phase : phases) {
      for (MigrationResult m : phase.migrations()) {
        width = Math.max(width, ("#" + m.migration().step() + " " + m.migration().description()).length());
      }
    }
    for (PhaseResult phase : phases) {
      out.append('\n').append(phase.state()).append(": ").append(phase.migrations().size())
          .append(phase.migrations().size() == 1 ? " migration, " : " migrations, ").append(phase.elapsedMs()).append(" ms");
      if (phase.diff() != null) {
        out.append(", ").append(counts(phase.diff()));
      }
      out.append('\n');
      for (MigrationResult m : phase.migrations()) {
        String name = "#" + m.migration().step() + " " + m.migration().description();
        out.append("  ").append(name).append(" ".repeat(width - name.length()))
            .append(m.failed() ? "  FAILED" : String.format(Locale.ROOT, "  %6d ms", m.executionMs()));
        if (m.attempts() > 1) {
          out.append(" (").append(m.attempts()).append(" attempts)");
        }
        out.append('\n');
        for (LockUse lock : m.locks()) {
          out.append("      ").append(lock.describe()).append('\n');
        }
        if (m.strongestLock() != null) {
          out.append("      strongest lock on an existing table: ").append(m.strongestLock().describe()).append('\n');
        }
        for (String table : m.rewrittenTables()) {
          out.append("      rewrote existing table ").append(table).append(" (new relfilenode)\n");
        }
      }
    }
    out.append('\n');
    if (wholeVsStepwise == null) {
      out.append("Whole catalog in one go: not compared (stepping failed)\n");
    } else if (wholeVsStepwise.isEmpty()) {
      out.append("Whole catalog in one go: same schema as step by step (").append(wholeVsStepwise.newer().size())
          .append(" objects)\n");
    } else {
      out.append("Whole catalog in one go: DIFFERENT schema from step by step (see violations)\n");
    }
    if (!violations.isEmpty()) {
      out.append("\nViolations:\n");
      for (Violation v : violations) {
        out.append("  ").append(v.describe().replace("\n", "\n  ")).append('\n');
      }
    }
    if (!waived.isEmpty()) {
      out.append("\nWaived:\n");
      for (Violation v : waived) {
        out.append("  ").append(v.describe().replace("\n", "\n  ")).append('\n');
      }
    }
    return out.toString();
  }

  private static String counts(SchemaDiff diff) {
    long added = diff.added().stream().filter(c -> !c.implied()).count();
    long removed = diff.removed().stream().filter(c -> !c.implied()).count();
    return added + " added, " + diff.changed().size() + " changed, " + removed + " removed";
  }

  /** {@link #render()}. */
  @Override
  public String toString() {
    return render();
  }
}
