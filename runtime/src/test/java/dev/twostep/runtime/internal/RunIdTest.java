package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunIdTest {
  @Test
  void runIdsAreDistinctVersion4Uuids() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = HistoryTable.Run.newId();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.toString()).isEqualTo(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      ids.add(id);
    }
    assertThat(ids).hasSize(10_000);
  }
}
