package dev.twostep.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a migration is retried after PostgreSQL gave up waiting for a lock
 * ({@code lock_timeout}, SQLSTATE 55P03) or chose it as a deadlock victim (40P01): exponential
 * backoff from {@code initialBackoff}, doubled per failed attempt, capped at {@code maxBackoff},
 * with jitter (each wait is uniformly drawn from the upper half of the computed backoff) so that
 * retrying deployers and application traffic do not line up.
 *
 * @param maxAttempts how many times a migration is tried in all, at least 1
 * @param initialBackoff the wait after the first failed attempt, before jitter
 * @param maxBackoff the longest wait, before jitter
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException when {@code maxAttempts < 1}, a backoff is negative or
   *     {@code maxBackoff < initialBackoff}
   */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoffs must satisfy 0 <= initialBackoff <= maxBackoff: " + initialBackoff + ", " + maxBackoff);
    }
  }

  /** 5 attempts, backoff from 200 ms up to 5 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  /** One attempt, no retry. */
  public static RetryPolicy noRetries() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /**
   * The wait after attempt number {@code failedAttempt} (1-based) failed.
   *
   * @param failedAttempt the attempt that just failed, at least 1
   * @param random the source of jitter
   */
  public Duration backoff(int failedAttempt, RandomGenerator random) {
    if (failedAttempt < 1) {
      throw new IllegalArgumentException("failedAttempt must be >= 1: " + failedAttempt);
    }
    long initial = initialBackoff.toMillis();
    long max = maxBackoff.toMillis();
    long base = initial;
    for (int i = 1; i < failedAttempt && base < max; i++) {
      base = Math.min(max, base * 2);
    }
    base = Math.min(base, max);
    long half = base / 2;
    long jitter = base - half == 0 ? 0 : random.nextLong(base - half + 1);
    return Duration.ofMillis(half + jitter);
  }
}
