package dev.twostep.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A history table written by Twostep 0.1 (format v1) is read as it is and upgraded in place by a deployer. */
class HistoryFormatTest extends RuntimeTestSupport {
  /** The table exactly as Twostep 0.1 created it. */
  private void createVersion1Table() throws Exception {
    execute("CREATE TABLE \"public\".\"twostep_history\" (release text NOT NULL, "
        + "phase text NOT NULL CHECK (phase IN ('pre', 'post')), step int NOT NULL CHECK (step >= 1), "
        + "description text NOT NULL, checksum text NOT NULL, kind text NOT NULL CHECK (kind IN ('sql', 'java')), "
        + "applied_at timestamptz NOT NULL DEFAULT clock_timestamp(), execution_ms bigint NOT NULL, "
        + "applied_by text NOT NULL DEFAULT current_user, waivers text, baseline boolean NOT NULL DEFAULT false, "
        + "PRIMARY KEY (release, phase, step))");
    execute("COMMENT ON TABLE \"public\".\"twostep_history\" IS 'twostep history v1'");
  }

  @Test
  void aVersion1TableIsReadAsItIsAndUpgradedByTheNextDeployer() throws Exception {
    // release 1 fully and pre(2) applied by Twostep 0.1
    twostep(DeployGuardTest.V2).build().migrate(Target.parse("pre"));
    execute("CREATE TABLE v1_rows AS SELECT release, phase, step, description, checksum, kind, applied_at, "
        + "execution_ms, applied_by, waivers, baseline FROM twostep_history");
    execute("DROP TABLE twostep_history");
    execute("DROP TABLE twostep_instances");
    createVersion1Table();
    execute("INSERT INTO twostep_history SELECT * FROM v1_rows");
    Twostep twostep = twostep(DeployGuardTest.V2).build();

    // readers leave it as it is
    assertThat(twostep.status().state()).hasToString("2.0.0:pre");
    assertThat(twostep.check("1.0.0").compatible()).isTrue();
    assertThat(twostep.plan(Target.parse("post")).refusal()).isEmpty();
    assertThat(twostep.instances()).isEmpty();
    assertThat(value("SELECT obj_description('twostep_history'::regclass, 'pg_class')")).isEqualTo("twostep history v1");

    // a deployer upgrades it; the v1 rows count as applied by an earlier run, so post(2) may run
    assertThat(twostep.migrate(Target.parse("post")).after()).hasToString("2.0.0:post");
    assertThat(value("SELECT obj_description('twostep_history'::regclass, 'pg_class')")).isEqualTo("twostep history v2");
    assertThat(tableExists("twostep_instances")).isTrue();
    assertThat(column("SELECT release || ':' || phase || ' ' || coalesce(run_id, 'v1') FROM twostep_history "
        + "WHERE run_id IS NULL ORDER BY 1")).containsExactly("1.0.0:post v1", "1.0.0:pre v1", "2.0.0:pre v1");
    assertThat(value("SELECT count(*) FROM twostep_history WHERE run_id IS NOT NULL AND run_target = '2.0.0:post' "
        + "AND guard IS NULL")).isEqualTo("1");
  }
}
