package dev.twostep.junit;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.snapshot.RehearsalReport;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit Jupiter extension behind {@link TwostepTest} and {@link AtState}: resolves
 * {@link DataSource} and {@link StateDatabase} parameters and fields to fresh databases at a
 * schema state, and {@link RehearsalReport} parameters to the rehearsal of the catalog. Register
 * it through those annotations rather than directly.
 *
 * <p>Each (catalog, state) is built once per test run into a template database, kept in the
 * root {@link ExtensionContext.Store} and dropped at the end of the run; each test gets its own
 * copy, dropped after the test (static fields: after the class).
 */
public final class TwostepExtension implements ParameterResolver, BeforeAllCallback, BeforeEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TwostepExtension.class);

  /** Creates the extension; JUnit does this for the annotations. */
  public TwostepExtension() {}

  /**
   * Supports {@link DataSource} and {@link StateDatabase} parameters with {@link AtState}, or
   * without it in a {@link TwostepTest} class, and {@link RehearsalReport} parameters in a
   * {@link TwostepTest} class.
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    boolean annotated = parameter.isAnnotated(AtState.class);
    if (type == DataSource.class || type == StateDatabase.class) {
      return annotated || twostepTest(context).isPresent();
    }
    return type == RehearsalReport.class && twostepTest(context).isPresent();
  }

  /**
   * Creates the database (or runs, once per catalog, the rehearsal) the parameter asks for.
   *
   * @throws ParameterResolutionException when the state cannot be parsed or reached, or no
   *     catalog can be found
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Optional<AtState> atState = parameter.findAnnotation(AtState.class);
    Class<?> type = parameter.getParameter().getType();
    try {
      if (type == RehearsalReport.class) {
        return templates(context).rehearsal(catalogClass(null, context));
      }
      return open(type, atState.orElse(null), context);
    } catch (RuntimeException e) {
      throw new ParameterResolutionException("twostep: cannot provide " + type.getSimpleName() + " parameter "
          + parameter.getParameter().getName() + ": " + e.getMessage(), e);
    }
  }

  /** Fills the static {@link AtState} fields of the test class; their databases live until the class is done. */
  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    for (Field field : atStateFields(context.getRequiredTestClass(), true)) {
      field.setAccessible(true);
      field.set(null, open(field.getType(), field.getAnnotation(AtState.class), context));
    }
  }

  /** Fills the instance {@link AtState} fields of the test instances; their databases live until the test is done. */
  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field field : atStateFields(instance.getClass(), false)) {
        field.setAccessible(true);
        field.set(instance, open(field.getType(), field.getAnnotation(AtState.class), context));
      }
    }
  }

  private static List<Field> atStateFields(Class<?> type, boolean statics) {
    List<Field> fields = new ArrayList<>();
    for (Field field : AnnotationSupport.findAnnotatedFields(type, AtState.class, f -> Modifier.isStatic(f.getModifiers()) == statics,
        HierarchyTraversalMode.TOP_DOWN)) {
      if (field.getType() != DataSource.class && field.getType() != StateDatabase.class) {
        throw new ExtensionConfigurationException("twostep: @AtState field " + field.getDeclaringClass().getSimpleName() + "."
            + field.getName() + " must be a javax.sql.DataSource or a dev.twostep.junit.StateDatabase");
      }
      fields.add(field);
    }
    return fields;
  }

  /** Creates a database for {@code atState}, dropped when {@code context}'s store is closed. */
  private static Object open(Class<?> type, AtState atState, ExtensionContext context) {
    Class<? extends MigrationCatalog> catalogClass = catalogClass(atState, context);
    StateTemplates templates = templates(context);
    MigrationCatalog catalog = templates.catalog(catalogClass);
    SchemaState state = resolve(atState == null ? "latest" : atState.value(), catalog);
    TestDatabase database = templates.create(catalogClass, state);
    context.getStore(NAMESPACE).put(UUID.randomUUID(), new Closing(() -> templates.drop(database)));
    StateDatabase handle = new StateDatabase(database, catalog, state);
    return type == StateDatabase.class ? handle : handle.dataSource();
  }

  /**
   * The schema state {@code text} names for {@code catalog}.
   *
   * @throws IllegalArgumentException when it names none
   */
  static SchemaState resolve(String text, MigrationCatalog catalog) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("empty")) {
      return SchemaState.EMPTY;
    }
    Target target = t.equals("latest") ? Target.parse("post") : Target.parse(t);
    try {
      return target.resolve(catalog);
    } catch (TwostepException e) {
      throw new IllegalArgumentException("state '" + text + "': " + e.getMessage(), e);
    }
  }

  private static StateTemplates templates(ExtensionContext context) {
    // getOrComputeIfAbsent: the one method of both lines (JUnit 6 adds computeIfAbsent, 5.x lacks it)
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(StateTemplates.class, k -> new StateTemplates(TestPostgres.shared()), StateTemplates.class);
  }

  /**
   * A value the store closes at the end of its scope on every JUnit line: 5.x closes only a
   * {@link ExtensionContext.Store.CloseableResource}, 6 also (and by default only) an
   * {@link AutoCloseable}; whichever it calls, the action runs once.
   */
  static final class Closing implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final Runnable action;
    private boolean closed;

    Closing(Runnable action) {
      this.action = action;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        action.run();
      }
    }
  }

  private static Optional<TwostepTest> twostepTest(ExtensionContext context) {
    for (Class<?> type = context.getTestClass().orElse(null); type != null; type = type.getEnclosingClass()) {
      Optional<TwostepTest> found = AnnotationSupport.findAnnotation(type, TwostepTest.class);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Class<? extends MigrationCatalog> catalogClass(AtState atState, ExtensionContext context) {
    if (atState != null && atState.catalog() != MigrationCatalog.class) {
      return atState.catalog();
    }
    Optional<TwostepTest> test = twostepTest(context);
    if (test.isPresent() && test.get().catalog() != MigrationCatalog.class) {
      return test.get().catalog();
    }
    List<Class<? extends MigrationCatalog>> found = new ArrayList<>();
    for (ServiceLoader.Provider<MigrationCatalog> provider : ServiceLoader.load(MigrationCatalog.class).stream().toList()) {
      found.add(provider.type());
    }
    if (found.size() != 1) {
      throw new ExtensionConfigurationException("twostep: name the catalog with @TwostepTest(catalog = ...) or "
          + "@AtState(catalog = ...): " + (found.isEmpty() ? "none is registered on the class path"
              : found.size() + " are registered on the class path"));
    }
    return found.get(0);
  }
}
