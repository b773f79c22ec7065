package dev.twostep.maven;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link NextRewriter}: only the {@code release} values of migration annotations change. */
class NextRewriterTest {
  private static String rewritten(String source) {
    return NextRewriter.rewrite(source, "3.1.0").source();
  }

  @Test
  void rewritesTheReleaseValueAndKeepsEveryOtherCharacter() {
    String source = """
        package com.acme.db;

        import dev.twostep.PreMigration;

        /** Adds a queue; written as release = "next" until it ships. */
        @PreMigration(release = "next", step = 2, sql = "ALTER TABLE jobs ADD COLUMN queue text;")
        public final class AddQueue {}
        """;
    NextRewriter.Result result = NextRewriter.rewrite(source, "3.1.0");

    assertThat(result.source()).isEqualTo(source.replace("(release = \"next\"", "(release = \"3.1.0\""));
    assertThat(result.changes()).containsExactly(new NextRewriter.Change(6, "PreMigration", "AddQueue",
        "release = \"next\"", "release = \"3.1.0\""));
  }

  @Test
  void spacingVariantsKeepTheirSpacing() {
    assertThat(rewritten("@PreMigration(release=\"next\", step = 1) class A {}"))
        .isEqualTo("@PreMigration(release=\"3.1.0\", step = 1) class A {}");
    assertThat(rewritten("@PostMigration(step = 1,\n    release\n      =   \"next\"\n) class A {}"))
        .isEqualTo("@PostMigration(step = 1,\n    release\n      =   \"3.1.0\"\n) class A {}");
    assertThat(rewritten("@PreMigration(release = /* unreleased */ \"next\", step = 1) class A {}"))
        .isEqualTo("@PreMigration(release = /* unreleased */ \"3.1.0\", step = 1) class A {}");
    assertThat(NextRewriter.rewrite("@PostMigration(step = 1,\n    release\n      =   \"next\"\n) class A {}", "3.1.0")
        .changes()).extracting(NextRewriter.Change::line).containsExactly(3);
  }

  @Test
  void commentsStringsAndTextBlocksAreLeftAlone() {
    String source = """
        // @PreMigration(release = "next", step = 1)
        /* @PreMigration(release = "next", step = 1) */
        /** {@code @PostMigration(release = "next")} */
        @PreMigration(release = "1.0.0", step = 3, sql = \"""
            -- @PreMigration(release = "next", step = 1)
            INSERT INTO notes VALUES ('release = "next"');
            \""")
        class Notes {
          String s = "@PreMigration(release = \\"next\\", step = 1)";
          char c = '"';
          String t = "@PostMigration(release = \\"next\\")";
        }
        """;
    NextRewriter.Result result = NextRewriter.rewrite(source, "3.1.0");

    assertThat(result.source()).isEqualTo(source);
    assertThat(result.changes()).isEmpty();
  }

  @Test
  void aNextInAnotherAttributeOrAnotherAnnotationStays() {
    String source = """
        @Waive(rule = "pre-contract", reason = "next")
        @RenameColumn(release = "next", step = 1, table = "next", from = "next", to = "queue_name")
        @SuppressWarnings(value = "next")
        class RenameQueue {}
        @Other(release = "next")
        class NotAMigrationAnnotation {}
        """;
    NextRewriter.Result result = NextRewriter.rewrite(source, "3.1.0");

    assertThat(result.source()).isEqualTo(source.replace("(release = \"next\", step = 1, table",
        "(release = \"3.1.0\", step = 1, table"));
    assertThat(result.changes()).extracting(NextRewriter.Change::annotation, NextRewriter.Change::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("RenameColumn", "RenameQueue"));
  }

  @Test
  void aConstantOrAnExpressionIsNotALiteralToRewrite() {
    String source = """
        class Releases { static final String NEXT = "next"; }
        @PreMigration(release = Releases.NEXT, step = 1) class A {}
        @PreMigration(release = "ne" + "xt", step = 2) class B {}
        @PreMigration(release = "next" + "", step = 3) class C {}
        """;
    assertThat(NextRewriter.rewrite(source, "3.1.0").changes()).isEmpty();
    assertThat(rewritten(source)).isEqualTo(source);
  }

  @Test
  void everyAnnotationOfAFileWithNestedMigrationsAndQualifiedNames() {
    String source = """
        final class Release3 {
          @dev.twostep.PreMigration(release = "next", step = 1, sql = "CREATE TABLE a (id int);")
          static final class CreateA {}

          @dev.twostep.PostMigration(release = "2.0.0", step = 1, sql = "DROP TABLE old;")
          static final class DropOld {}

          @SetNotNull(release = "next", step = 2, table = "a", column = "id")
          @AddUniqueConstraint(release = "next", step = 3, table = "a", columns = {"id"})
          @Waive(rule = "pre-contract", reason = "x")
          static final class Constraints {}

          @ChangeColumnType(release = "next", step = 4, table = "a", column = "id", type = "bigint")
          @AddForeignKey(release = "next", step = 5, table = "a", columns = {"b_id"}, references = "b (id)")
          static final class Types {}
        }
        """;
    NextRewriter.Result result = NextRewriter.rewrite(source, "3.1.0");

    assertThat(result.source()).doesNotContain("\"next\"").contains("release = \"2.0.0\"");
    assertThat(result.source().replace("\"3.1.0\"", "\"next\"")).isEqualTo(source);
    assertThat(result.changes()).extracting(c -> c.annotation() + "@" + c.line() + " on " + c.type()).containsExactly(
        "PreMigration@2 on CreateA", "SetNotNull@8 on Constraints", "AddUniqueConstraint@9 on Constraints",
        "ChangeColumnType@13 on Types", "AddForeignKey@14 on Types");
  }

  @Test
  void anUnterminatedFileDoesNotThrow() {
    for (String broken : new String[] {"@PreMigration(release = \"next\"", "/* @PreMigration(release = \"next\")",
        "\"\"\" @PreMigration(release = \"next\")", "@PreMigration(", "@", "@PreMigration(release = \"next\", step = 1) class"}) {
      assertThat(NextRewriter.rewrite(broken, "3.1.0").source()).isNotNull();
    }
  }
}
