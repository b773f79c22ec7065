package dev.twostep.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The processor must not tell Gradle it is incremental. In Gradle's aggregating mode, classes
 * that are not recompiled reach the processor from class files, which keep neither
 * {@code @SuppressWarnings} (source retention: suppressed warnings would come back) nor the
 * source a Java migration's checksum covers. A full recompilation is slower; a wrong diagnostic
 * is worse.
 */
class GradleIncrementalTest {
  @Test
  void theProcessorDeclaresNoGradleIncrementalMode() {
    assertThat(TwostepProcessor.class.getClassLoader()
        .getResource("META-INF/gradle/incremental.annotation.processors")).isNull();
  }
}
