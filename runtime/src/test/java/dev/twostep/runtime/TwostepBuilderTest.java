package dev.twostep.runtime;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwostepBuilderTest {
  /** Catalogs the ServiceLoader can instantiate. */
  public static final class FirstCatalog implements MigrationCatalog {
    @Override
    public String name() {
      return "First";
    }

    @Override
    public List<Migration> migrations() {
      return List.of(sql("1.0.0", PRE, 1, "a", "SELECT 1"));
    }
  }

  /** A second catalog, to make discovery ambiguous. */
  public static final class SecondCatalog implements MigrationCatalog {
    @Override
    public String name() {
      return "Second";
    }

    @Override
    public List<Migration> migrations() {
      return List.of(sql("1.0.0", PRE, 1, "a", "SELECT 1"));
    }
  }

  @TempDir Path dir;

  private <T> T withServices(List<Class<?>> catalogs, Callable<T> action) throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(MigrationCatalog.class.getName()),
        String.join("\n", catalogs.stream().map(Class::getName).toList()) + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, original)) {
      thread.setContextClassLoader(loader);
      return action.call();
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  @Test
  void findsTheOnlyCatalogOnTheClassPath() throws Exception {
    Twostep twostep = withServices(List.of(FirstCatalog.class),
        () -> Twostep.builder().url("jdbc:postgresql://localhost/x").build());
    assertThat(twostep.catalog().name()).isEqualTo("First");
  }

  @Test
  void refusesToGuessBetweenCatalogsOrWithoutOne() throws Exception {
    assertThatThrownBy(() -> withServices(List.of(FirstCatalog.class, SecondCatalog.class),
        () -> Twostep.builder().url("jdbc:postgresql://localhost/x").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 MigrationCatalogs on the class path (First = ")
        .hasMessageContaining("choose one with catalog(...)");
    assertThatThrownBy(() -> withServices(List.of(), () -> Twostep.builder().url("jdbc:postgresql://localhost/x").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no MigrationCatalog on the class path");
  }

  @Test
  void checksConfiguration() {
    MigrationCatalog catalog = TestCatalog.of(sql("1.0.0", PRE, 1, "a", "SELECT 1"));
    assertThatThrownBy(() -> Twostep.builder().catalog(catalog).build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no database");
    assertThatThrownBy(() -> Twostep.builder().table("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Twostep.builder().lockTimeout(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    MigrationCatalog duplicate = TestCatalog.of(sql("1.0.0", POST, 1, "a", "SELECT 1"), sql("1.0", POST, 1, "b", "SELECT 2"));
    assertThatThrownBy(() -> Twostep.builder().url("jdbc:postgresql://localhost/x").catalog(duplicate).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two migrations at");
  }

  @Test
  void neverShowsThePassword() {
    Twostep twostep = Twostep.builder()
        .url("jdbc:postgresql://localhost/x?password=in-url")
        .password("in-builder")
        .catalog(TestCatalog.of(sql("1.0.0", PRE, 1, "a", "SELECT 1")))
        .build();
    assertThat(twostep.toString()).contains("password=****").doesNotContain("in-url").doesNotContain("in-builder");
    assertThatThrownBy(twostep::status).isInstanceOf(TwostepException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("in-url").doesNotContain("in-builder"));
  }
}
