package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.Driver;

class JdbcTargetTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "jdbc:postgresql://db.example.com:5432/shop                            | jdbc:postgresql://db.example.com:5432/scratch_1",
    "jdbc:postgresql://h1:5432,h2:5433/shop?targetServerType=primary&user=u | jdbc:postgresql://h1:5432,h2:5433/scratch_1?targetServerType=primary&user=u",
    "jdbc:postgresql://[::1]:5432/shop?password=a/b?c                      | jdbc:postgresql://[::1]:5432/scratch_1?password=a/b?c",
    "jdbc:postgresql://[::1],[fe80::2]:5433/shop                           | jdbc:postgresql://[::1],[fe80::2]:5433/scratch_1",
    "jdbc:postgresql://localhost/my%20shop?ssl=true                        | jdbc:postgresql://localhost/scratch_1?ssl=true",
    "jdbc:postgresql:shop?user=u                                           | jdbc:postgresql:scratch_1?user=u",
  })
  void replacesTheDatabaseKeepingHostsAndParameters(String url, String expected) {
    String scratch = JdbcTarget.withDatabase(url, "scratch_1");

    assertThat(scratch).isEqualTo(expected);
    JdbcTarget before = JdbcTarget.parse(url);
    JdbcTarget after = JdbcTarget.parse(scratch);
    assertThat(after.host()).isEqualTo(before.host());
    assertThat(after.port()).isEqualTo(before.port());
    assertThat(after.database()).isEqualTo("scratch_1");
    Properties original = Driver.parseURL(url, new Properties());
    Properties replaced = Driver.parseURL(scratch, new Properties());
    original.remove("PGDBNAME");
    replaced.remove("PGDBNAME");
    assertThat(replaced).isEqualTo(original);
  }

  @Test
  void encodesADatabaseNameTheDriverReadsBack() {
    String url = JdbcTarget.withDatabase("jdbc:postgresql://h:5432/shop", "shop copy+1/ü");

    assertThat(url).isEqualTo("jdbc:postgresql://h:5432/shop%20copy%2B1%2F%C3%BC");
    assertThat(JdbcTarget.parse(url).database()).isEqualTo("shop copy+1/ü");
    assertThat(Driver.parseURL(url, new Properties()).getProperty("PGDBNAME")).isEqualTo("shop copy+1/ü");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdbc:postgresql://h:5432/", "jdbc:postgresql://h:5432", "jdbc:postgresql://[::1]:5432/?user=u",
      "jdbc:postgresql:///", "jdbc:postgresql://h1,h2/?password=s3cret"})
  void refusesAUrlWithoutDatabase(String url) {
    assertThatThrownBy(() -> JdbcTarget.withDatabase(url, "scratch_1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no database")
        .message().doesNotContain("s3cret");
  }
}
