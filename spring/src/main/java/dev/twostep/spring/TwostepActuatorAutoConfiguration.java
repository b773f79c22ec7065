package dev.twostep.spring;

import dev.twostep.runtime.Twostep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator's view of Twostep, when the application has the actuator: the endpoint
 * {@code twostep} and the health indicator {@code twostep} (Boot 3's or Boot 4's health API,
 * whichever is on the class path). The health indicator is off with
 * {@code management.health.twostep.enabled=false}.
 */
@AutoConfiguration(after = TwostepAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(Twostep.class)
public class TwostepActuatorAutoConfiguration {
  /** The endpoint {@code twostep}; exposed over HTTP like any endpoint, through management.endpoints.web.exposure.include. */
  @Bean
  @ConditionalOnMissingBean
  public TwostepEndpoint twostepEndpoint(Twostep twostep, ObjectProvider<TwostepInstanceRegistrar> registrar) {
    return new TwostepEndpoint(twostep, registrar.getIfAvailable());
  }

  /** Boot 3's health indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnProperty(prefix = "management.health.twostep", name = "enabled", havingValue = "true", matchIfMissing = true)
  static class Boot3Health {
    @Bean(name = "twostepHealthIndicator")
    @ConditionalOnMissingBean(name = "twostepHealthIndicator")
    TwostepHealthIndicator twostepHealthIndicator(Twostep twostep) {
      return new TwostepHealthIndicator(twostep);
    }
  }

  /** Boot 4's health indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(prefix = "management.health.twostep", name = "enabled", havingValue = "true", matchIfMissing = true)
  static class Boot4Health {
    @Bean(name = "twostepHealthIndicator")
    @ConditionalOnMissingBean(name = "twostepHealthIndicator")
    TwostepBoot4HealthIndicator twostepHealthIndicator(Twostep twostep) {
      return new TwostepBoot4HealthIndicator(twostep);
    }
  }
}
