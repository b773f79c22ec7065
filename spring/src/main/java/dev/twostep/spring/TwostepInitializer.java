package dev.twostep.spring;

import dev.twostep.Phase;
import dev.twostep.runtime.CheckResult;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.TwostepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Does what {@code twostep.mode} asks when the application starts, before any bean that uses the
 * database (JPA, {@code JdbcTemplate}, or any bean marked {@code @DependsOnDatabaseInitialization}):
 * checks that the code of the catalog's newest release may run on the schema, after applying
 * migrations up to pre of that release ({@code pre}) or all of them ({@code migrate}).
 */
public final class TwostepInitializer implements InitializingBean {
  private static final Logger LOG = LoggerFactory.getLogger(TwostepInitializer.class);

  private final Twostep twostep;
  private final TwostepProperties.Mode mode;
  private CheckResult result;

  /** Runs {@code mode} on {@code twostep} when the bean factory initializes this bean. */
  public TwostepInitializer(Twostep twostep, TwostepProperties.Mode mode) {
    this.twostep = twostep;
    this.mode = mode;
  }

  /**
   * Runs the mode.
   *
   * @throws TwostepStartupException when the code of the newest release may not run on the
   *     schema found (or reached), or a migration or the database failed
   */
  @Override
  public void afterPropertiesSet() {
    if (mode == TwostepProperties.Mode.NONE) {
      LOG.debug("twostep.mode=none: not checking {}", twostep);
      return;
    }
    String release = twostep.catalog().newestRelease().text();
    try {
      if (mode == TwostepProperties.Mode.PRE || mode == TwostepProperties.Mode.MIGRATE) {
        Phase phase = mode == TwostepProperties.Mode.PRE ? Phase.PRE : Phase.POST;
        MigrateResult migrated = twostep.migrate(Target.newest(phase));
        LOG.info("twostep.mode={}: {} migrations applied, schema state {}", mode.label(), migrated.applied().size(),
            migrated.after());
      }
      result = twostep.check(release);
    } catch (TwostepException e) {
      throw new TwostepStartupException("twostep.mode=" + mode.label() + " failed on " + twostep + ": " + e.getMessage(),
          "Fix the cause above, or start with twostep.mode=none to skip Twostep at start-up.", e);
    }
    if (!result.compatible()) {
      throw new TwostepStartupException("refusing to start: " + result.explanation()
          + " (release " + release + " is the newest of catalog " + twostep.catalog().name() + "; history "
          + twostep.historyTable() + ")",
          "Migrate the database first (the catalog's command line: migrate --to " + release + ":pre), or deploy the code "
              + "of a release that fits this schema. twostep.mode=none skips this check.");
    }
    LOG.info("Twostep: {}", result.explanation());
  }

  /** The start-up check's result, or {@code null} with {@code twostep.mode=none}. */
  public CheckResult result() {
    return result;
  }
}
