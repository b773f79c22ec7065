package dev.twostep.runtime;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Phase;
import dev.twostep.Release;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetTest {
  private static final TestCatalog CATALOG = TestCatalog.of(
      sql("1.0", PRE, 1, "a", "SELECT 1"), sql("2.0.0", POST, 1, "b", "SELECT 2"));

  @ParameterizedTest
  @CsvSource({
    "pre,         pre,         2.0.0:pre",
    "post,        post,        2.0.0:post",
    "POST,        post,        2.0.0:post",
    "1.0:pre,     1.0:pre,     1.0:pre",
    "1.0.0:post,  1.0.0:post,  1.0:post",
    "2.0.0,       2.0.0:post,  2.0.0:post",
  })
  void parsesAndResolvesTargets(String text, String printed, String resolved) {
    Target target = Target.parse(text);
    assertThat(target).hasToString(printed);
    assertThat(target.resolve(CATALOG)).hasToString(resolved);
  }

  @Test
  void rejectsWhatIsNoTarget() {
    assertThatThrownBy(() -> Target.parse("2.0.0:during")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target '2.0.0:during' must be");
    assertThatThrownBy(() -> Target.parse("latest")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Target.parse("3.0.0").resolve(CATALOG)).isInstanceOf(TwostepException.class)
        .hasMessageContaining("newest release: 2.0.0");
  }

  @Test
  void schemaStatesOrderAndPrint() {
    SchemaState pre1 = SchemaState.of(Release.parse("1"), Phase.PRE);
    SchemaState post1 = SchemaState.parse("1.0.0:post");
    SchemaState pre2 = SchemaState.parse("2.0.0:pre");
    assertThat(SchemaState.EMPTY).hasToString("empty").isLessThan(pre1);
    assertThat(pre1).isLessThan(post1);
    assertThat(post1).isLessThan(pre2);
    assertThat(SchemaState.parse("empty")).isEqualTo(SchemaState.EMPTY);
    assertThat(SchemaState.parse("1:post")).isEqualTo(post1);
    assertThatThrownBy(() -> SchemaState.of(Release.parse("1"), null)).isInstanceOf(NullPointerException.class);
    assertThat(post1.release()).hasToString("1.0.0");
    assertThat(post1.phase()).isEqualTo(Phase.POST);
    assertThat(SchemaState.EMPTY.isEmpty()).isTrue();
    assertThatThrownBy(SchemaState.EMPTY::release).isInstanceOf(IllegalStateException.class)
        .hasMessage("the empty schema state has no release");
    assertThatThrownBy(SchemaState.EMPTY::phase).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aNewestTargetHasNoReleaseAndNoTargetIsNull() {
    assertThat(Target.parse("pre")).isEqualTo(Target.newest(PRE));
    assertThat(Target.newest(PRE).isNewest()).isTrue();
    assertThat(Target.newest(PRE).release()).isEmpty();
    assertThat(Target.parse("1.0:pre")).isEqualTo(Target.of("1.0.0", PRE)).isEqualTo(Target.of(Release.parse("1"), PRE))
        .hasSameHashCodeAs(Target.of("1", PRE));
    assertThat(Target.parse("1.0:pre").release()).hasValue(Release.parse("1.0"));
    assertThat(Target.parse("1.0:pre").isNewest()).isFalse();
    assertThatThrownBy(() -> Target.of((Release) null, PRE)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Target.newest(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void retryBackoffGrowsExponentiallyWithJitterUpToTheCap() {
    RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(1000));
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      assertThat(policy.backoff(1, random).toMillis()).isBetween(50L, 100L);
      assertThat(policy.backoff(2, random).toMillis()).isBetween(100L, 200L);
      assertThat(policy.backoff(4, random).toMillis()).isBetween(400L, 800L);
      assertThat(policy.backoff(5, random).toMillis()).isBetween(500L, 1000L);
      assertThat(policy.backoff(60, random).toMillis()).isBetween(500L, 1000L);
    }
    assertThat(java.util.stream.IntStream.range(0, 50).mapToObj(i -> policy.backoff(3, random)).distinct().count())
        .as("jitter").isGreaterThan(10);
    assertThat(RetryPolicy.defaults()).isEqualTo(new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5)));
    assertThat(RetryPolicy.noRetries().backoff(1, random)).isZero();
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
