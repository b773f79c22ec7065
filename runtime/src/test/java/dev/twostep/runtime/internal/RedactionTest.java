package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "jdbc:postgresql://h/db?user=u&password=s3cret             | jdbc:postgresql://h/db?user=u&password=****",
    "jdbc:postgresql://h/db?password=s3cret&ssl=true           | jdbc:postgresql://h/db?password=****&ssl=true",
    "jdbc:postgresql://h/db?PASSWORD=s3cret                    | jdbc:postgresql://h/db?PASSWORD=****",
    "host=h password='s3 cret' user=u                          | host=h password=**** user=u",
    "postgresql://u:s3cret@h:5432/db                           | postgresql://u:****@h:5432/db",
    "jdbc:postgresql://h/db?user=u                             | jdbc:postgresql://h/db?user=u",
  })
  void masksPasswordsInUrls(String url, String masked) {
    assertThat(Redaction.maskUrl(url)).isEqualTo(masked);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "login failed with hunter2 for u | hunter2 | login failed with **** for u",
    "nothing secret here             | ''      | nothing secret here",
  })
  void masksAKnownSecretAnywhere(String text, String secret, String masked) {
    assertThat(Redaction.mask(text, secret)).isEqualTo(masked);
  }
}
