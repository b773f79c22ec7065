package dev.twostep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReleaseTest {
  @Test
  void comparesNumericallyNotAsText() {
    List<String> sorted = Stream.of("1.10", "1.9", "2", "1.9.1", "10.0", "1")
        .map(Release::parse).sorted().map(Release::text).toList();
    assertThat(sorted).containsExactly("1", "1.9", "1.9.1", "1.10", "2", "10.0");
  }

  @Test
  void missingPartsReadAsZero() {
    assertThat(Release.parse("2.1")).isEqualTo(Release.parse("2.1.0")).isEqualTo(Release.parse("2.1.0.0"));
    assertThat(Release.parse("2.1").hashCode()).isEqualTo(Release.parse("2.1.0").hashCode());
    assertThat(Release.parse("2.1").text()).isEqualTo("2.1");
  }

  @Test
  void acceptsOneToFourIntegers() {
    assertThat(Stream.of("0", "2", "2.1", "2.1.0", "2.1.0.4").allMatch(Release::isValid)).isTrue();
    assertThat(Stream.of("", "v2", "2.", ".2", "2..1", "1.2.3.4.5", "2.x", "-1", "2.1-beta", " 2", "1234567890")
        .noneMatch(Release::isValid)).isTrue();
    assertThatThrownBy(() -> Release.parse("2.x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.x");
    assertThatThrownBy(() -> Release.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
