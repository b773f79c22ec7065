package dev.twostep.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The metadata IDEs complete {@code twostep.*} from, as written by Boot's configuration processor. */
class ConfigurationMetadataTest {
  @Test
  void everyTwostepPropertyIsListedWithADescription() throws IOException {
    String json;
    try (InputStream in = TwostepProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("META-INF/spring-configuration-metadata.json in the starter").isNotNull();
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher property = Pattern.compile("\\{\\s*\"name\": \"(twostep\\.[a-z-]+|management\\.health\\.twostep\\.enabled)\"([^}]*)}")
        .matcher(json);
    List<String> names = new java.util.ArrayList<>();
    while (property.find()) {
      names.add(property.group(1));
      assertThat(property.group(2)).as(property.group(1)).contains("\"description\": \"");
    }
    assertThat(names).containsExactlyInAnyOrder("twostep.enabled", "twostep.mode", "twostep.schema", "twostep.table",
        "twostep.lock-timeout", "twostep.register-instance", "twostep.url", "twostep.user", "twostep.password",
        "twostep.catalog", "management.health.twostep.enabled");
    assertThat(json).contains("\"name\": \"twostep.mode\"").containsPattern(
        "\"name\": \"twostep.mode\",[^}]*\"defaultValue\": \"check\"");
  }
}
