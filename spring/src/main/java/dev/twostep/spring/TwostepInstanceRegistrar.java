package dev.twostep.spring;

import dev.twostep.runtime.InstanceRegistration;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.TwostepException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Registers this application instance as live for the deploy guard, with the catalog's newest
 * release (the release this code is): while the application runs, {@code post} of a newer release
 * refuses (or waits) because of it. Created after {@link TwostepInitializer}, so an instance whose
 * start-up check refused never registers; the database's users (JPA, {@code JdbcTemplate}, beans
 * marked {@code @DependsOnDatabaseInitialization}) are created after it and destroyed before it, so
 * closing the context deletes the registration only when they are gone. (On JVM shutdown the
 * runtime's own shutdown hook deletes it too, in parallel with Spring's shutdown.) Holds no
 * connection: the runtime's heartbeat borrows one from the {@code DataSource} for one statement
 * every third of the lease.
 */
public final class TwostepInstanceRegistrar implements InitializingBean, DisposableBean {
  private final Twostep twostep;
  private InstanceRegistration registration;

  /**
   * A registrar on {@code twostep}'s database.
   *
   * @param initializer the start-up check, passed so that it runs (and may refuse) first
   */
  public TwostepInstanceRegistrar(Twostep twostep, TwostepInitializer initializer) {
    this.twostep = twostep;
  }

  /**
   * Registers the instance.
   *
   * @throws TwostepStartupException when the registration cannot be written (the message names
   *     the grants the application's role needs, or the read-only server)
   */
  @Override
  public void afterPropertiesSet() {
    String release = twostep.catalog().newestRelease().text();
    try {
      registration = twostep.registerInstance(release);
    } catch (TwostepException e) {
      throw new TwostepStartupException("cannot register this instance of release " + release
          + " for the deploy guard: " + e.getMessage(),
          "Grant the application's role what the message names, or set twostep.register-instance=false "
              + "(the deploy guard then does not see this instance: post of a newer release would not wait for it).", e);
    }
  }

  /** This instance's registration (closed once the application context is closed). */
  public InstanceRegistration registration() {
    return registration;
  }

  /** Deletes the registration: the instance no longer counts as live. */
  @Override
  public void destroy() {
    if (registration != null) {
      registration.close();
    }
  }
}
