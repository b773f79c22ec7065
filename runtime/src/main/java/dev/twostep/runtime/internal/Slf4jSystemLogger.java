package dev.twostep.runtime.internal;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link System.Logger} writing to SLF4J, handed to Java migrations so that their output goes
 * wherever the runtime's logging goes.
 */
public final class Slf4jSystemLogger implements System.Logger {
  private final Logger logger;

  /** A logger named {@code name}. */
  public Slf4jSystemLogger(String name) {
    this.logger = LoggerFactory.getLogger(name);
  }

  @Override
  public String getName() {
    return logger.getName();
  }

  @Override
  public boolean isLoggable(Level level) {
    switch (level) {
      case ALL:
      case TRACE:
        return logger.isTraceEnabled();
      case DEBUG:
        return logger.isDebugEnabled();
      case INFO:
        return logger.isInfoEnabled();
      case WARNING:
        return logger.isWarnEnabled();
      case ERROR:
        return logger.isErrorEnabled();
      default:
        return false;
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    write(level, localize(bundle, msg), thrown);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    String pattern = localize(bundle, format);
    write(level, params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params), null);
  }

  @Override
  public void log(Level level, Supplier<String> msgSupplier) {
    if (isLoggable(level)) {
      write(level, msgSupplier.get(), null);
    }
  }

  private static String localize(ResourceBundle bundle, String key) {
    return bundle != null && key != null && bundle.containsKey(key) ? bundle.getString(key) : key;
  }

  private void write(Level level, String message, Throwable thrown) {
    switch (level) {
      case ALL:
      case TRACE:
        logger.trace(message, thrown);
        break;
      case DEBUG:
        logger.debug(message, thrown);
        break;
      case INFO:
        logger.info(message, thrown);
        break;
      case WARNING:
        logger.warn(message, thrown);
        break;
      case ERROR:
        logger.error(message, thrown);
        break;
      default:
        break;
    }
  }
}
