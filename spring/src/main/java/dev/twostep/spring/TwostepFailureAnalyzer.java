package dev.twostep.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link TwostepStartupException} into Spring Boot's start-up failure report. */
final class TwostepFailureAnalyzer extends AbstractFailureAnalyzer<TwostepStartupException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TwostepStartupException cause) {
    return new FailureAnalysis("Twostep: " + cause.description(), cause.action(), cause);
  }
}
