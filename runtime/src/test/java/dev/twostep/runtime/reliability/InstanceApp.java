package dev.twostep.runtime.reliability;

import dev.twostep.runtime.InstanceRegistration;
import dev.twostep.runtime.Twostep;
import java.time.Duration;

/**
 * An application process: registers an instance of a release and runs until it is stopped
 * (SIGTERM runs the shutdown hook that deregisters; SIGKILL leaves the row to its lease).
 * Arguments: JDBC URL, release, lease in milliseconds.
 */
public final class InstanceApp {
  private InstanceApp() {}

  public static void main(String[] args) throws InterruptedException {
    Twostep twostep = Twostep.builder().url(args[0]).catalog(ReliabilityCatalogs.BLUE_GREEN).build();
    InstanceRegistration registration = twostep.registerInstance(args[1], Duration.ofMillis(Long.parseLong(args[2])));
    System.out.println("registered " + registration);
    System.out.flush();
    Thread.currentThread().join();
  }
}
