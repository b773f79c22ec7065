package dev.twostep.runtime.cli;

import dev.twostep.runtime.cli.TwostepCommandLine.Root;
import dev.twostep.runtime.cli.TwostepCommandLine.TwostepCommand;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Reads the command lines a deploy script types, a command followed by its options each given
 * once, from the same {@link Option} annotations picocli reads, without building picocli's model.
 * That model costs about 160 ms of a cold JVM (its built-in converters, help and reflection:
 * {@code bench/run.sh apply} measured it), more than the rest of a small run.
 *
 * <p>It only ever accepts what picocli accepts, with the same values; anything else makes
 * {@link #parse} answer {@code null} and the caller asks picocli, which then gives its usual
 * message: help, an unknown, repeated or option-valued option, a missing value or required option,
 * a value a converter refuses, and every {@link Option} attribute this reader does not implement.
 * {@code QuickArgsTest} compares the two on every option of every command.
 */
final class QuickArgs {
  private QuickArgs() {}

  /**
   * The command {@code args} name, with its options set, or {@code null} when picocli must read
   * {@code args}.
   */
  static TwostepCommand parse(Root root, String[] args) {
    if (args.length == 0) {
      return null;
    }
    Class<? extends TwostepCommand> type = commands().get(args[0]);
    if (type == null) {
      return null;
    }
    try {
      TwostepCommand command = newInstance(type);
      Map<String, Binding> options = options(command, root);
      if (options == null) {
        return null;
      }
      // picocli's marker for "no default value" is the annotation's own default
      Object noDefault = Option.class.getMethod("defaultValue").getDefaultValue();
      Set<Binding> given = new HashSet<>();
      for (int i = 1; i < args.length; i++) {
        String token = args[i];
        int eq = token.startsWith("--") ? token.indexOf('=') : -1;
        String name = eq < 0 ? token : token.substring(0, eq);
        Binding binding = options.get(name);
        if (binding == null || binding.help() || !given.add(binding)) {
          return null;
        }
        if (binding.flag()) {
          if (eq >= 0) {
            return null;
          }
          binding.set(true);
          continue;
        }
        String value;
        if (eq >= 0) {
          value = token.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          return null;
        }
        // picocli takes no option name as an option's value, attached or not
        if (options.containsKey(value) || !binding.convertAndSet(value)) {
          return null;
        }
      }
      for (Binding binding : new HashSet<>(options.values())) {
        if (!given.contains(binding)) {
          if (binding.option.required()) {
            return null;
          }
          if (!binding.option.defaultValue().equals(noDefault) && !binding.convertAndSet(binding.option.defaultValue())) {
            return null;
          }
        }
      }
      return command;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The commands by name, from the root command's {@code subcommands}. */
  static Map<String, Class<? extends TwostepCommand>> commands() {
    Map<String, Class<? extends TwostepCommand>> commands = new HashMap<>();
    for (Class<?> c : Root.class.getAnnotation(Command.class).subcommands()) {
      if (TwostepCommand.class.isAssignableFrom(c)) {
        commands.put(c.getAnnotation(Command.class).name(), c.asSubclass(TwostepCommand.class));
      }
    }
    return commands;
  }

  /** Adds the options of {@code target}'s own fields; {@code false} when one is beyond this reader. */
  private static boolean bind(Object target, Map<String, Binding> options) {
    for (Class<?> c = target.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        Option option = field.getAnnotation(Option.class);
        if (option == null) {
          continue;
        }
        if (!supported(option, field)) {
          return false;
        }
        Binding binding = new Binding(target, field, option);
        for (String name : option.names()) {
          if (options.put(name, binding) != null) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Whether the option is plain: one value (or a flag), no attribute that changes parsing. */
  private static boolean supported(Option option, Field field) {
    Class<?> type = field.getType();
    boolean knownType = option.converter().length == 1 || type == String.class || type == Path.class
        || type == int.class || type == boolean.class;
    return knownType && option.converter().length <= 1 && option.arity().isEmpty() && option.split().isEmpty()
        && !option.negatable() && !option.interactive() && option.fallbackValue().isEmpty()
        && !option.versionHelp() && !option.defaultValue().contains("${") && !option.defaultValue().equals(Option.NULL_VALUE)
        && option.preprocessor().getName().equals("picocli.CommandLine$NoOpParameterPreprocessor")
        && option.parameterConsumer().getName().equals("picocli.CommandLine$NullParameterConsumer");
  }

  /** One to nine ASCII digits: an int both of picocli's readings ({@code valueOf}, {@code decode}) agree on when not 0-led. */
  private static boolean digits(String value) {
    if (value.isEmpty() || value.length() > 9 || (value.length() > 1 && value.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static <T> T newInstance(Class<T> type) throws ReflectiveOperationException {
    Constructor<T> constructor = type.getDeclaredConstructor();
    constructor.setAccessible(true);
    return constructor.newInstance();
  }

  private static void set(Field field, Object target, Object value) throws IllegalAccessException {
    field.setAccessible(true);
    field.set(target, value);
  }

  /**
   * One option field of a command or mixin. A class, not a record: a record's generated
   * {@code hashCode} bootstraps through {@code ObjectMethods}, which costs a cold JVM more time
   * than the whole parse.
   */
  private static final class Binding {
    final Object target;
    final Field field;
    final Option option;

    Binding(Object target, Field field, Option option) {
      this.target = target;
      this.field = field;
      this.option = option;
    }

    boolean help() {
      return option.usageHelp() || option.versionHelp();
    }

    boolean flag() {
      return field.getType() == boolean.class;
    }

    void set(Object value) {
      try {
        QuickArgs.set(field, target, value);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Converts {@code value} as picocli would; {@code false} when picocli may see it otherwise. */
    boolean convertAndSet(String value) {
      Class<?> type = field.getType();
      Object converted;
      try {
        if (option.converter().length == 1) {
          ITypeConverter<?> converter = newInstance(option.converter()[0]);
          converted = converter.convert(value);
        } else if (type == String.class) {
          converted = value;
        } else if (type == Path.class) {
          converted = Path.of(value);
        } else if (type == int.class && digits(value)) {
          converted = Integer.valueOf(value);
        } else {
          return false;
        }
      } catch (Exception e) {
        return false;
      }
      set(converted);
      return true;
    }
  }

  /**
   * Thrown by a command read here where picocli would report a usage error: the caller hands the
   * command line to picocli. Nothing was printed or done before.
   */
  static final class Declined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Declined() {
      super("read by picocli", null, false, false);
    }
  }

  /**
   * The options of {@code command} by name, its mixins' included, after setting its parent
   * command and mixins as picocli would; {@code null} when one is beyond this reader.
   */
  private static Map<String, Binding> options(TwostepCommand command, Root root) throws ReflectiveOperationException {
    Map<String, Binding> options = new HashMap<>();
    for (Class<?> c = command.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (field.isAnnotationPresent(ParentCommand.class)) {
          set(field, command, root);
        } else if (field.isAnnotationPresent(Mixin.class)) {
          Object mixin = newInstance(field.getType());
          set(field, command, mixin);
          if (!bind(mixin, options)) {
            return null;
          }
        }
      }
    }
    return bind(command, options) ? options : null;
  }

  /** For tests: every option name of {@code command}, its mixins included. */
  static List<String> optionNames(Class<? extends TwostepCommand> command) throws ReflectiveOperationException {
    return new ArrayList<>(options(newInstance(command), null).keySet());
  }
}
