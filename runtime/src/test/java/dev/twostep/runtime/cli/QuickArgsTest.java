package dev.twostep.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.cli.TwostepCommandLine.Root;
import dev.twostep.runtime.cli.TwostepCommandLine.TwostepCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@link QuickArgs} against picocli on the same command lines: whatever the quick reader accepts,
 * picocli accepts with equal option values; whatever picocli refuses, the quick reader leaves to
 * picocli. And the quick reader does read the plain command lines, or the CLI's start-up cost
 * would quietly come back.
 */
class QuickArgsTest {
  /** Values per option, valid and not; a flag takes none. */
  private static final Map<String, List<String>> VALUES = Map.ofEntries(
      Map.entry("--url", List.of("jdbc:postgresql://h/db", "", "-starts-with-dash", "a b;c=d")),
      Map.entry("--user", List.of("app", "--password")),
      Map.entry("--password", List.of("s3cret", "-x", "p=w")),
      Map.entry("--urls-file", List.of("tenants.txt")),
      Map.entry("--parallel", List.of("8", "0", "010", "-1", "eight", "99999999999")),
      Map.entry("--schema", List.of("app")),
      Map.entry("--table", List.of("history", "")),
      Map.entry("--lock-timeout", List.of("500ms", "2s", "PT3S", "1m", "250", "soon")),
      Map.entry("--deployer-lock-wait", List.of("60s", "never")),
      Map.entry("--wait-for-instances", List.of("10m", "0s", "-5s")),
      Map.entry("--to", List.of("pre", "post", "1.0.0", "2.0.0:pre", "3:sideways", "")),
      Map.entry("--release", List.of("2.0.0", "1", "not a release")));

  @Test
  void acceptsOnlyWhatPicocliAcceptsWithEqualValues() throws Exception {
    int quick = 0;
    int cases = 0;
    for (var command : QuickArgs.commands().entrySet()) {
      for (List<String> args : cases(command.getKey(), command.getValue())) {
        cases++;
        String[] argv = args.toArray(String[]::new);
        TwostepCommand fast = QuickArgs.parse(root(), argv);
        Object picocli = picocli(argv);
        if (fast == null) {
          continue;
        }
        quick++;
        assertThat(picocli).as("picocli refuses %s, which the quick reader accepted", args).isNotNull();
        assertThat(values(fast)).as("option values of %s", args).isEqualTo(values(picocli));
      }
    }
    assertThat(cases).isGreaterThan(300);
    assertThat(quick).as("command lines read without picocli").isGreaterThan(cases / 3);
  }

  @Test
  void readsThePlainCommandLinesOfEveryCommand() throws Exception {
    for (var command : QuickArgs.commands().entrySet()) {
      List<String> args = new ArrayList<>(List.of(command.getKey(), "--url", "jdbc:postgresql://h/db"));
      if (command.getKey().equals("migrate")) {
        args.addAll(List.of("--to", "2.0.0:pre"));
      }
      if (command.getKey().equals("check") || command.getKey().equals("baseline")) {
        args.addAll(List.of("--release=2.0.0"));
      }
      assertThat(QuickArgs.parse(root(), args.toArray(String[]::new))).as("%s", args).isNotNull();
    }
  }

  @Test
  void leavesHelpAndMistakesToPicocli() {
    for (String[] args : List.of(new String[] {}, new String[] {"help"}, new String[] {"--help"},
        new String[] {"post", "-h"}, new String[] {"post", "--url"}, new String[] {"post", "--url", "--user", "u"},
        new String[] {"post", "--quiet", "--quiet"}, new String[] {"post", "--json=true"}, new String[] {"migrate"},
        new String[] {"post", "extra"}, new String[] {"posts"}, new String[] {"post", "-qv"})) {
      assertThat(QuickArgs.parse(root(), args)).as("%s", List.of(args)).isNull();
    }
  }

  /** Every option alone (every value, both spellings), all together, repeated, and a few mistakes. */
  private static List<List<String>> cases(String name, Class<? extends TwostepCommand> command) throws Exception {
    List<String> options = QuickArgs.optionNames(command);
    List<String> required = new ArrayList<>();
    if (name.equals("migrate")) {
      required.addAll(List.of("--to", "post"));
    } else if (name.equals("check") || name.equals("baseline")) {
      required.addAll(List.of("--release", "2.0.0"));
    }
    List<List<String>> cases = new ArrayList<>();
    cases.add(List.of(name));
    cases.add(concat(List.of(name), required));
    List<String> all = new ArrayList<>(List.of(name));
    for (String option : new TreeSet<>(options)) {
      List<String> values = VALUES.get(option);
      if (values == null) {
        cases.add(concat(List.of(name, option), required));
        cases.add(concat(List.of(name, option + "=true"), required));
        cases.add(concat(List.of(name, option, option), required));
        if (!option.equals("-h") && !option.equals("--help") && !option.equals("-q") && !option.equals("--quiet")) {
          all.add(option);
        }
        continue;
      }
      for (String value : values) {
        cases.add(concat(List.of(name, option, value), required));
        cases.add(concat(List.of(name, option + "=" + value), required));
      }
      cases.add(concat(List.of(name, option), required));
      cases.add(concat(List.of(name, option, values.get(0), option, values.get(0)), required));
      if (!required.contains(option)) {
        all.add(option);
        all.add(values.get(0));
      }
    }
    cases.add(concat(all, required));
    cases.add(concat(List.of(name, "--no-such-option"), required));
    cases.add(concat(List.of(name, "positional"), required));
    cases.add(concat(List.of(name, "--"), required));
    return cases;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Root root() {
    return new Root(null, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), Map.of(), List.of());
  }

  /** The subcommand picocli parsed, or {@code null} when it refuses {@code args}. */
  private static Object picocli(String[] args) {
    try {
      CommandLine.ParseResult result = new CommandLine(root()).parseArgs(args);
      if (!result.hasSubcommand() || result.subcommand().isUsageHelpRequested()) {
        return null;
      }
      return result.subcommand().commandSpec().userObject();
    } catch (CommandLine.ParameterException e) {
      return null;
    }
  }

  /** Every option field's value, mixins included, by field. */
  private static Map<String, Object> values(Object command) throws IllegalAccessException {
    Map<String, Object> values = new LinkedHashMap<>();
    collect(command, "", values);
    return values;
  }

  private static void collect(Object target, String prefix, Map<String, Object> values) throws IllegalAccessException {
    for (Class<?> c = target.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        field.setAccessible(true);
        if (field.isAnnotationPresent(Option.class)) {
          values.put(prefix + field.getName(), field.get(target));
        } else if (field.isAnnotationPresent(Mixin.class)) {
          collect(field.get(target), field.getName() + ".", values);
        }
      }
    }
  }

  @Test
  void everyCommandOfTheRootIsKnown() {
    Set<String> names = new CommandLine(root()).getSubcommands().keySet();
    assertThat(QuickArgs.commands().keySet()).containsExactlyInAnyOrderElementsOf(
        names.stream().filter(n -> !n.equals("help")).toList());
  }
}
