package dev.twostep.processor.internal.model;

import dev.twostep.ObjectKind;
import java.util.List;

/**
 * One constant of the generated {@code <Name>Schema} class: the name by which code of the newest
 * release calls a versioned object.
 *
 * @param constantName the Java constant, e.g. {@code SHOP_FETCH_JOB}
 * @param sqlName the name as SQL writes it, e.g. {@code shop_fetch_job_v2} or {@code billing.invoice_v1}
 * @param kind what the object is
 * @param version its {@code _v<k>} version, 0 when the name carries none (legacy)
 * @param release the release whose migration created it under this name
 * @param signatures for routines the argument types of each overload, e.g. {@code (text)}; else empty
 * @param table for a trigger the table it is on, else {@code null}
 */
public record SchemaConstant(
    String constantName,
    String sqlName,
    ObjectKind kind,
    int version,
    String release,
    List<String> signatures,
    String table) {

  public SchemaConstant {
    signatures = List.copyOf(signatures);
  }
}
