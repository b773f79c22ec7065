package dev.twostep.runtime.cli;

/**
 * Keeps SLF4J quiet in the command line when the class path has no SLF4J provider: without one,
 * SLF4J prints three {@code SLF4J(W): No SLF4J providers were found} lines to standard error on
 * first use, which in a command line only alarm. With no provider it selects SLF4J's own no-op
 * one explicitly; an application's provider, or an explicit {@code slf4j.provider}, is left alone.
 */
final class Slf4jWithoutProvider {
  static final String PROVIDER_PROPERTY = "slf4j.provider";
  static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";
  private static final String SERVICES = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

  private Slf4jWithoutProvider() {}

  /** Before SLF4J's first use: selects the no-op provider when the class path has none. */
  static void quiet(ClassLoader loader) {
    if (System.getProperty(PROVIDER_PROPERTY) != null) {
      return;
    }
    try {
      if (loader.getResources(SERVICES).hasMoreElements()) {
        return;
      }
    } catch (java.io.IOException e) {
      return; // cannot tell: SLF4J decides as usual
    }
    System.setProperty(PROVIDER_PROPERTY, "org.slf4j.helpers.NOP_FallbackServiceProvider");
    if (System.getProperty(VERBOSITY_PROPERTY) == null) {
      // an explicit provider is announced at INFO level; only warnings are worth a line here
      System.setProperty(VERBOSITY_PROPERTY, "WARN");
    }
  }
}
