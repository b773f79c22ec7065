package dev.twostep.spring;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code twostep.*} properties of the Spring Boot starter: what Twostep does at start-up and
 * where its history lives. Bound by Spring Boot; applications read them, they need not set any.
 */
@ConfigurationProperties(prefix = "twostep")
public class TwostepProperties {
  /** Whether Twostep runs at start-up and offers its beans. */
  private boolean enabled = true;

  /**
   * What to do at start-up: check (refuse to start when this release's code may not run on the
   * schema), pre (apply up to pre of the newest release, then check), migrate (apply everything),
   * none.
   */
  private Mode mode = Mode.CHECK;

  /** The schema of the history table; created when missing. */
  private String schema = "public";

  /** The name of the history table. */
  private String table = "twostep_history";

  /**
   * How long a migration's statement waits for a lock before it is retried (modes pre and
   * migrate).
   */
  private Duration lockTimeout = Duration.ofSeconds(2);

  /**
   * Whether to register this instance as live for the deploy guard (with the catalog's newest
   * release, after the start-up check passed; deleted when the application stops), so that post of
   * a newer release waits for it. Uses the same database as the check: the application's
   * DataSource, or twostep.url when set.
   */
  private boolean registerInstance = true;

  /**
   * JDBC URL of a database to migrate with separate credentials; by default the application's
   * DataSource is used.
   */
  private String url;

  /** The user for twostep.url. */
  private String user;

  /** The password for twostep.url; never logged. */
  private String password;

  /**
   * The catalog to use when several are on the class path: its name (the @MigrationSet name,
   * e.g. Shop) or the class name of the generated catalog.
   */
  private String catalog;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public String getSchema() {
    return schema;
  }

  public void setSchema(String schema) {
    this.schema = schema;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  public Duration getLockTimeout() {
    return lockTimeout;
  }

  public void setLockTimeout(Duration lockTimeout) {
    this.lockTimeout = lockTimeout;
  }

  public boolean isRegisterInstance() {
    return registerInstance;
  }

  public void setRegisterInstance(boolean registerInstance) {
    this.registerInstance = registerInstance;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getCatalog() {
    return catalog;
  }

  public void setCatalog(String catalog) {
    this.catalog = catalog;
  }

  /** What Twostep does at start-up ({@code twostep.mode}). */
  public enum Mode {
    /** Refuse to start when the code of the catalog's newest release may not run on the schema. */
    CHECK,
    /** Apply every migration up to pre of the newest release, then check: development and tests. */
    PRE,
    /** Apply every migration, post included: deployments of a single instance. */
    MIGRATE,
    /** Do nothing at start-up. */
    NONE;

    /** The mode as written in properties: {@code check}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
