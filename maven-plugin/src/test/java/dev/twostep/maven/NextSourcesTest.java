package dev.twostep.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.SqlStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the sources of {@code next} migrations and refusing what cannot be rewritten. */
class NextSourcesTest {
  @TempDir Path root;

  private static Migration next(String className, int step) {
    return Migration.sql("next", Phase.PRE, step, "step " + step, className, "a".repeat(64), true, List.of(),
        List.of(new SqlStatement(1, "SELECT 1")));
  }

  private Path write(String relative, String text) throws Exception {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void findsTopLevelAndNestedClassesAndRewritesEach() throws Exception {
    Path top = write("com/acme/db/AddQueue.java", "package com.acme.db;\n@PreMigration(release = \"next\", step = 1, sql = \"\")\n"
        + "final class AddQueue {}\n");
    Path nested = write("com/acme/db/Release2.java", "package com.acme.db;\nfinal class Release2 {\n"
        + "  @PreMigration(release = \"next\", step = 2, sql = \"\") static final class AddSize {}\n}\n");
    NextSources sources = new NextSources(List.of(root.resolve("missing"), root));

    assertThat(sources.sourceOf("com.acme.db.Release2.AddSize")).contains(nested);
    List<NextSources.Edit> edits = sources.rewrite(List.of(next("com.acme.db.AddQueue", 1), next("com.acme.db.Release2.AddSize", 2)),
        Release.parse("1.1.0"));

    assertThat(edits).extracting(NextSources.Edit::file).containsExactly(top, nested);
    assertThat(edits.get(1).rewritten().source()).contains("@PreMigration(release = \"1.1.0\", step = 2");
  }

  @Test
  void aMissingSourceOrANonLiteralReleaseRefusesTheWholeShip() throws Exception {
    write("com/acme/db/Constant.java", "package com.acme.db;\n@PreMigration(release = Releases.NEXT, step = 1, sql = \"\")\n"
        + "final class Constant {}\n@PreMigration(release = \"next\", step = 2, sql = \"\")\nfinal class Other {}\n");
    NextSources sources = new NextSources(List.of(root));

    assertThatThrownBy(() -> sources.rewrite(List.of(next("com.acme.db.Constant", 1), next("com.acme.db.Gone", 3)),
        Release.parse("1.1.0")))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("not shipping 1.1.0, nothing was changed")
        .hasMessageContaining("next:pre #1 step 1 (com.acme.db.Constant in ")
        .hasMessageContaining("its release is not written as the literal release = \"next\"")
        .hasMessageContaining("next:pre #3 step 3 (com.acme.db.Gone): no source file for it");
  }
}
