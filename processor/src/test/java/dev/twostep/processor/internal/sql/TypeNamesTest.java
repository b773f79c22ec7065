package dev.twostep.processor.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.processor.internal.sql.Effect.Create;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeNamesTest {

  private static String signatureOf(String arguments) {
    Effect effect = SqlScript.parse("CREATE FUNCTION f(" + arguments + ") RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql")
        .statements().get(0).effects().get(0);
    return ((Create) effect).object().signature();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "                                         | ()",
      "int                                      | (integer)",
      "integer                                  | (integer)",
      "int4                                     | (integer)",
      "pg_catalog.int4                          | (integer)",
      "p_id int8, p_small int2                  | (bigint, smallint)",
      "IN a varchar(20), INOUT b character varying | (character varying, character varying)",
      "a char varying(3), b character(2), c bpchar | (character varying, character, character)",
      "a \"char\"                               | (\"char\")",
      "x float, y float(10), z float8, w double precision | (double precision, real, double precision, double precision)",
      "a bool, b decimal(10,2), c numeric        | (boolean, numeric, numeric)",
      "t timestamp, tz timestamptz, t2 timestamp(3) with time zone, t3 timestamp without time zone | (timestamp without time zone, timestamp with time zone, timestamp with time zone, timestamp without time zone)",
      "a time with time zone, b timetz, c time  | (time with time zone, time with time zone, time without time zone)",
      "a int[], b integer ARRAY, c int4[3][3]  | (integer[], integer[], integer[])",
      "VARIADIC ids bigint[]                    | (bigint[])",
      "p_queue text DEFAULT 'default', p_n int = 5 | (text, integer)",
      "OUT total bigint, p_queue text           | (text)",
      "public.shop_state, s shop.shop_state     | (shop_state, shop.shop_state)",
      "\"MyType\", n \"MyType\"                   | (\"MyType\", \"MyType\")",
      "p shop_jobs.queue%TYPE                   | (shop_jobs.queue%type)",
      "i interval day to second, j interval     | (interval, interval)",
      "time text, \"in\" int                     | (text, integer)",
      "b bit varying(8), c varbit                | (bit varying, bit varying)",
      "x OUT int, p text                         | (text)",
      "a VARIADIC int[]                          | (integer[])",
      "v inout text, w IN numeric(10,2)          | (text, numeric)",
      "\"out\" int                               | (integer)"})
  void normalizesArgumentTypes(String arguments, String expected) {
    assertThat(signatureOf(arguments == null ? "" : arguments)).isEqualTo(expected);
  }
}
