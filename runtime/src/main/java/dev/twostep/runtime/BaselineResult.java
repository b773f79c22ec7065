package dev.twostep.runtime;

/**
 * What {@link Twostep#baseline(String)} recorded.
 *
 * @param state the schema state now recorded
 * @param recorded how many migrations were recorded as applied without running
 */
public record BaselineResult(SchemaState state, int recorded) {}
