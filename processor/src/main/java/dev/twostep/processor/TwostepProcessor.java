package dev.twostep.processor;

import dev.twostep.Rule;
import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.twostep.ObjectKind;
import dev.twostep.Phase;
import dev.twostep.Waiver;
import dev.twostep.processor.internal.check.Expansions;
import dev.twostep.processor.internal.check.Messages;
import dev.twostep.processor.internal.model.ClassShape;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.JavaSourceText;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import dev.twostep.processor.internal.model.Operation;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic.Kind;
import javax.tools.StandardLocation;

/**
 * The Twostep annotation processor: collects the {@code @PreMigration} and {@code @PostMigration}
 * classes of a compilation, reads them into a model, checks the ordering, versioning and
 * blue-green rules, and generates {@code <Name>Migrations}, {@code <Name>Schema} and the
 * {@code META-INF/services} entry. This is the only class that touches {@code javax.lang.model}
 * elements; everything behind it works on plain values.
 */
@AutoService(Processor.class)
@SupportedOptions({TwostepProcessor.LOCKFILE_OPTION, TwostepProcessor.SHIP_OPTION})
public final class TwostepProcessor extends AbstractProcessor {
  /** Processor option naming the lock file of shipped releases. */
  public static final String LOCKFILE_OPTION = "twostep.lockfile";
  /** Processor option: record every migration up to this release in the lock file. */
  public static final String SHIP_OPTION = "twostep.ship";

  static final String PRE = "dev.twostep.PreMigration";
  static final String POST = "dev.twostep.PostMigration";
  static final String SET = "dev.twostep.MigrationSet";
  static final String RENAME_COLUMN = "dev.twostep.RenameColumn";
  static final String SET_NOT_NULL = "dev.twostep.SetNotNull";
  static final String ADD_FOREIGN_KEY = "dev.twostep.AddForeignKey";
  static final String ADD_UNIQUE_CONSTRAINT = "dev.twostep.AddUniqueConstraint";
  static final String CHANGE_COLUMN_TYPE = "dev.twostep.ChangeColumnType";
  /** The expand/contract operations: one annotation, expanded into a pre- and a post-migration. */
  static final List<String> OPERATIONS = List.of(RENAME_COLUMN, SET_NOT_NULL, ADD_FOREIGN_KEY, ADD_UNIQUE_CONSTRAINT,
      CHANGE_COLUMN_TYPE);
  static final String WAIVE = "dev.twostep.Waive";
  static final String WAIVE_LIST = "dev.twostep.Waive.List";
  static final String JAVA_MIGRATION = "dev.twostep.JavaMigration";
  static final String NON_TRANSACTIONAL = "dev.twostep.NonTransactional";

  // Names, never Elements: elements of one round must not be used in another.
  private final Set<String> migrationNames = new TreeSet<>();
  private final Set<String> setPackages = new TreeSet<>();
  private boolean generated;
  /** Whether a migration had an annotation value javac could not resolve (javac reports it). */
  private boolean unreadable;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> types = new TreeSet<>(List.of(PRE, POST, SET));
    types.addAll(OPERATIONS);
    return types;
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<String> fresh = new TreeSet<>();
    List<String> migrationAnnotations = new ArrayList<>(List.of(PRE, POST));
    migrationAnnotations.addAll(OPERATIONS);
    for (String annotation : migrationAnnotations) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(annotation);
      if (type == null) {
        continue;
      }
      for (Element e : round.getElementsAnnotatedWith(type)) {
        if (e instanceof TypeElement t && migrationNames.add(t.getQualifiedName().toString())) {
          fresh.add(t.getQualifiedName().toString());
        }
      }
    }
    TypeElement setType = processingEnv.getElementUtils().getTypeElement(SET);
    if (setType != null) {
      for (Element e : round.getElementsAnnotatedWith(setType)) {
        if (e instanceof PackageElement p) {
          setPackages.add(p.getQualifiedName().toString());
        }
      }
    }
    if (generated) {
      for (String name : fresh) {
        processingEnv.getMessager().printMessage(Kind.ERROR,
            Rule.INTERNAL.tag() + " " + Messages.laterRound(name), type(name));
      }
      return false;
    }
    if (migrationNames.isEmpty()) {
      return false;
    }
    // Wait for a later round while a migration's supertypes are still being generated by another
    // processor. If they are still missing in the last round, javac reports them itself and the
    // catalog could not compile anyway: generating then would only add a last-round warning.
    if (migrationNames.stream().anyMatch(this::hasUnresolvedSupertypes)) {
      return false;
    }
    generated = true;
    runPipeline();
    return false;
  }

  private boolean hasUnresolvedSupertypes(String name) {
    TypeElement t = type(name);
    if (t == null) {
      return true;
    }
    if (t.getSuperclass().getKind() == TypeKind.ERROR) {
      return true;
    }
    return t.getInterfaces().stream().anyMatch(i -> i.getKind() == TypeKind.ERROR);
  }

  private TypeElement type(String name) {
    return processingEnv.getElementUtils().getTypeElement(name);
  }

  // ---- pipeline: read -> check -> generate ------------------------------------------------

  private void runPipeline() {
    Map<String, MigrationModel> models = new LinkedHashMap<>();
    List<Operation> operations = new ArrayList<>();
    for (String name : migrationNames) {
      TypeElement element = type(name);
      try {
        if (OPERATIONS.stream().anyMatch(o -> mirror(element, o) != null)
            && mirror(element, PRE) == null && mirror(element, POST) == null) {
          Operation operation = readOperation(element);
          if (operation != null) {
            operations.add(operation);
          }
          continue;
        }
        MigrationModel model = read(element);
        if (model != null) {
          models.put(name, model);
        }
      } catch (RuntimeException e) {
        processingEnv.getMessager().printMessage(Kind.ERROR,
            Rule.INTERNAL.tag() + " " + Messages.internal("reading " + name, e), element);
      }
    }
    if ((models.isEmpty() && operations.isEmpty()) || unreadable || !setReadable()) {
      // nothing to do, or javac has already reported a value it could not resolve: checking the
      // others without it would only add noise (gaps in the steps, say) to javac's own error
      return;
    }
    List<Diagnostic> setProblems = new ArrayList<>();
    List<MigrationModel> all = new ArrayList<>(models.values());
    try {
      Expansions.Result expansions = Expansions.expand(all, operations);
      all.addAll(expansions.migrations());
      setProblems.addAll(expansions.problems());
    } catch (RuntimeException e) {
      processingEnv.getMessager().printMessage(Kind.ERROR,
          Rule.INTERNAL.tag() + " " + Messages.internal("expanding the operations", e),
          type(operations.get(0).className()));
      return;
    }
    MigrationSetModel set = readSet(all, setProblems);
    Set<String> origins = new TreeSet<>(models.keySet());
    operations.forEach(o -> origins.add(o.className()));
    try {
      Pipeline.Output output = Pipeline.run(set, setProblems, new Pipeline.Options(
          readLockFile(), option(SHIP_OPTION), javaxGeneratedAvailable()));
      output.diagnostics().forEach(this::report);
      Element[] originating = originatingElements(origins);
      output.sources().forEach(file -> writeSource(file, originating));
      output.resources().forEach((path, content) -> writeResource(path, content, originating));
      if (output.lockFileUpdate() != null) {
        writeLockFile(output.lockFileUpdate());
      }
    } catch (RuntimeException e) {
      Element on = setPackageElement() != null ? setPackageElement() : type(all.get(0).className());
      processingEnv.getMessager().printMessage(Kind.ERROR,
          Rule.INTERNAL.tag() + " " + Messages.internal("checking and generating the catalog", e), on);
    }
  }

  private String option(String name) {
    String value = processingEnv.getOptions().get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The lock file named by the option, read here: the pipeline does no I/O. */
  private Pipeline.LockFileInput readLockFile() {
    String path = option(LOCKFILE_OPTION);
    if (path == null) {
      return null;
    }
    try {
      return new Pipeline.LockFileInput(path, Files.readString(Path.of(path)), null);
    } catch (NoSuchFileException e) {
      return new Pipeline.LockFileInput(path, null, null);
    } catch (IOException e) {
      return new Pipeline.LockFileInput(path, null, String.valueOf(e.getMessage()));
    }
  }

  /** Writes the lock file for {@code -Atwostep.ship}: the one file this processor writes outside javac's outputs. */
  private void writeLockFile(Pipeline.LockFileUpdate update) {
    try {
      Files.writeString(Path.of(update.path()), update.content());
      processingEnv.getMessager().printMessage(Kind.NOTE, Rule.LOCK_FILE.tag() + " " + update.note());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Kind.ERROR, Rule.LOCK_FILE.tag() + " "
          + Messages.lockFileUnreadable(update.path(), "writing failed: " + e.getMessage()));
    }
  }

  private Element[] originatingElements(Set<String> names) {
    List<Element> out = new ArrayList<>();
    for (String name : names) {
      out.add(type(name));
    }
    PackageElement set = setPackageElement();
    if (set != null) {
      out.add(set);
    }
    return out.toArray(new Element[0]);
  }

  private boolean javaxGeneratedAvailable() {
    return processingEnv.getElementUtils().getTypeElement("javax.annotation.processing.Generated") != null;
  }

  private boolean setReadable() {
    PackageElement set = setPackageElement();
    return set == null || hasTypes(values(mirror(set, SET)),
        Map.of("name", String.class, "checkedFrom", String.class, "versioned", List.class));
  }

  private PackageElement setPackageElement() {
    return setPackages.isEmpty() ? null : processingEnv.getElementUtils().getPackageElement(setPackages.iterator().next());
  }

  // ---- read -----------------------------------------------------------------------------

  private MigrationModel read(TypeElement element) {
    AnnotationMirror pre = mirror(element, PRE);
    AnnotationMirror post = mirror(element, POST);
    AnnotationMirror annotation = pre != null ? pre : post;
    if (annotation == null) {
      return null;
    }
    Map<String, Object> values = values(annotation);
    List<AnnotationMirror> waives = waiveMirrors(element);
    if (!hasTypes(values, Map.of("release", String.class, "step", Integer.class, "sql", String.class,
            "description", String.class))
        || waives.stream().anyMatch(w -> !hasTypes(values(w), Map.of("rule", String.class, "reason", String.class)))) {
      // a value javac could not resolve (step = NOPE): javac reports it on the value itself, and
      // the migration cannot be read until it is fixed
      unreadable = true;
      return null;
    }
    String simpleName = element.getSimpleName().toString();
    String description = ((String) values.get("description")).strip();
    if (description.isEmpty()) {
      description = describe(simpleName);
    }
    List<Waiver> waivers = new ArrayList<>();
    for (AnnotationMirror waive : waives) {
      Map<String, Object> w = values(waive);
      waivers.add(new Waiver((String) w.get("rule"), (String) w.get("reason")));
    }
    Set<String> suppressed = new TreeSet<>();
    SuppressWarnings suppress = element.getAnnotation(SuppressWarnings.class);
    if (suppress != null) {
      suppressed.addAll(List.of(suppress.value()));
    }
    return new MigrationModel(
        element.getQualifiedName().toString(),
        simpleName,
        processingEnv.getElementUtils().getPackageOf(element).getQualifiedName().toString(),
        (String) values.get("release"),
        pre != null ? Phase.PRE : Phase.POST,
        (Integer) values.get("step"),
        (String) values.get("sql"),
        description,
        shape(element, pre != null && post != null),
        waivers,
        suppressed,
        null,
        ((String) values.get("sql")).isBlank() ? javaSource(element) : "");
  }

  /**
   * The code of {@code element}'s class in normal form, from its source tree; empty when the
   * compiler offers no trees (not javac) or the class has no source here.
   */
  private String javaSource(TypeElement element) {
    Trees trees = trees();
    TreePath path = trees == null ? null : trees.getPath(element);
    if (path == null || !(path.getLeaf() instanceof ClassTree type)) {
      return "";
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    // the start is known without javac's table of end positions (off unless a listener asks)
    long start = trees.getSourcePositions().getStartPosition(unit, type);
    try {
      CharSequence text = unit.getSourceFile().getCharContent(true);
      return start < 0 || start >= text.length() ? "" : JavaSourceText.normaliseClass(text.subSequence((int) start, text.length()).toString());
    } catch (IOException e) {
      return "";
    }
  }

  /** javac's source trees, or {@code null} on another compiler. */
  private Trees trees() {
    try {
      return Trees.instance(processingEnv);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Operation readOperation(TypeElement element) {
    String annotation = OPERATIONS.stream().filter(o -> mirror(element, o) != null).findFirst().orElseThrow();
    Map<String, Object> values = values(mirror(element, annotation));
    Map<String, Class<?>> types = new LinkedHashMap<>(Map.of("release", String.class, "step", Integer.class,
        "table", String.class));
    Operation.Kind kind;
    switch (annotation) {
      case RENAME_COLUMN -> {
        kind = Operation.Kind.RENAME_COLUMN;
        types.put("from", String.class);
        types.put("to", String.class);
      }
      case SET_NOT_NULL -> {
        kind = Operation.Kind.SET_NOT_NULL;
        types.put("column", String.class);
        types.put("backfill", String.class);
      }
      case CHANGE_COLUMN_TYPE -> {
        kind = Operation.Kind.CHANGE_COLUMN_TYPE;
        types.put("column", String.class);
        types.put("type", String.class);
        types.put("using", String.class);
      }
      case ADD_FOREIGN_KEY -> {
        kind = Operation.Kind.ADD_FOREIGN_KEY;
        types.put("columns", List.class);
        types.put("references", String.class);
      }
      default -> {
        kind = Operation.Kind.ADD_UNIQUE_CONSTRAINT;
        types.put("columns", List.class);
      }
    }
    if (!hasTypes(values, types)) {
      unreadable = true;
      return null;
    }
    List<String> keyColumns = new ArrayList<>();
    if (values.get("columns") instanceof List<?> list) {
      for (Object v : list) {
        if (!(v instanceof AnnotationValue av) || !(av.getValue() instanceof String column)) {
          unreadable = true;
          return null;
        }
        keyColumns.add(column);
      }
    }
    Set<String> suppressed = new TreeSet<>();
    SuppressWarnings suppress = element.getAnnotation(SuppressWarnings.class);
    if (suppress != null) {
      suppressed.addAll(List.of(suppress.value()));
    }
    String column = switch (kind) {
      case RENAME_COLUMN -> (String) values.get("from");
      case SET_NOT_NULL, CHANGE_COLUMN_TYPE -> (String) values.get("column");
      default -> String.join(", ", keyColumns);
    };
    String expression = switch (kind) {
      case SET_NOT_NULL -> (String) values.get("backfill");
      case ADD_FOREIGN_KEY -> (String) values.get("references");
      case CHANGE_COLUMN_TYPE -> (String) values.get("using");
      default -> null;
    };
    return new Operation(kind, element.getQualifiedName().toString(), element.getSimpleName().toString(),
        processingEnv.getElementUtils().getPackageOf(element).getQualifiedName().toString(),
        (String) values.get("release"), (Integer) values.get("step"), (String) values.get("table"), column,
        switch (kind) {
          case RENAME_COLUMN -> (String) values.get("to");
          case CHANGE_COLUMN_TYPE -> (String) values.get("type");
          default -> null;
        }, expression, keyColumns, suppressed);
  }

  private ClassShape shape(TypeElement element, boolean bothPhases) {
    ClassShape.TypeKind kind = switch (element.getKind()) {
      case INTERFACE -> ClassShape.TypeKind.INTERFACE;
      case ENUM -> ClassShape.TypeKind.ENUM;
      case ANNOTATION_TYPE -> ClassShape.TypeKind.ANNOTATION;
      case RECORD -> ClassShape.TypeKind.RECORD;
      default -> ClassShape.TypeKind.CLASS;
    };
    ClassShape.Access access = ClassShape.Access.PUBLIC;
    for (Element e = element; e instanceof TypeElement; e = e.getEnclosingElement()) {
      ClassShape.Access a = access(e.getModifiers());
      if (a.compareTo(access) < 0) {
        access = a;
      }
    }
    ClassShape.Access constructor = null;
    for (ExecutableElement c : ElementFilter.constructorsIn(element.getEnclosedElements())) {
      if (c.getParameters().isEmpty()) {
        constructor = access(c.getModifiers());
      }
    }
    NestingKind nesting = element.getNestingKind();
    boolean inner = nesting == NestingKind.LOCAL || nesting == NestingKind.ANONYMOUS
        || (nesting == NestingKind.MEMBER && !element.getModifiers().contains(Modifier.STATIC)
            && element.getEnclosingElement().getKind() == ElementKind.CLASS);
    return new ClassShape(kind, implementsType(element, JAVA_MIGRATION), implementsType(element, NON_TRANSACTIONAL),
        bothPhases, element.getModifiers().contains(Modifier.ABSTRACT), inner, access, constructor);
  }

  private static ClassShape.Access access(Set<Modifier> modifiers) {
    if (modifiers.contains(Modifier.PUBLIC)) {
      return ClassShape.Access.PUBLIC;
    }
    if (modifiers.contains(Modifier.PROTECTED)) {
      return ClassShape.Access.PROTECTED;
    }
    if (modifiers.contains(Modifier.PRIVATE)) {
      return ClassShape.Access.PRIVATE;
    }
    return ClassShape.Access.PACKAGE;
  }

  private boolean implementsType(TypeElement element, String name) {
    TypeElement target = processingEnv.getElementUtils().getTypeElement(name);
    if (target == null) {
      return false;
    }
    TypeMirror erased = processingEnv.getTypeUtils().erasure(element.asType());
    return processingEnv.getTypeUtils().isAssignable(erased, processingEnv.getTypeUtils().erasure(target.asType()));
  }

  /** {@code AddPriorityV2} becomes {@code "add priority v2"}; {@code HTTPCache} becomes {@code "http cache"}. */
  static String describe(String simpleName) {
    String spaced = simpleName
        .replaceAll("([a-z0-9])([A-Z])", "$1 $2")
        .replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2")
        .replace('_', ' ');
    return spaced.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  private MigrationSetModel readSet(List<MigrationModel> migrations, List<Diagnostic> problems) {
    String name = "Twostep";
    Set<ObjectKind> versioned = EnumSet.of(ObjectKind.FUNCTION, ObjectKind.PROCEDURE, ObjectKind.TRIGGER,
        ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW, ObjectKind.COMPOSITE_TYPE);
    String checkedFrom = null;
    String packageName;
    PackageElement setElement = setPackageElement();
    if (setPackages.size() > 1) {
      problems.add(new Diagnostic(Diagnostic.Severity.ERROR, Rule.MIGRATION_SET, null, Diagnostic.Anchor.CLASS,
          Messages.setMoreThanOne(List.copyOf(setPackages))));
    }
    if (setElement != null) {
      packageName = setElement.getQualifiedName().toString();
      Map<String, Object> values = values(mirror(setElement, SET));
      name = (String) values.get("name");
      if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
        problems.add(new Diagnostic(Diagnostic.Severity.ERROR, Rule.MIGRATION_SET, null, Diagnostic.Anchor.CLASS,
            Messages.setBadName(name)));
        name = "Twostep";
      }
      versioned = EnumSet.noneOf(ObjectKind.class);
      @SuppressWarnings("unchecked")
      List<AnnotationValue> kinds = (List<AnnotationValue>) values.get("versioned");
      for (AnnotationValue v : kinds) {
        versioned.add(ObjectKind.valueOf(((VariableElement) v.getValue()).getSimpleName().toString()));
      }
      String from = ((String) values.get("checkedFrom")).strip();
      if (!from.isEmpty()) {
        if (dev.twostep.Release.isValid(from) && !dev.twostep.Release.parse(from).isNext()) {
          checkedFrom = from;
        } else {
          problems.add(new Diagnostic(Diagnostic.Severity.ERROR, Rule.RELEASE_FORMAT, null, Diagnostic.Anchor.CLASS,
              Messages.setBadCheckedFrom(from)));
        }
      }
    } else {
      packageName = commonPackage(migrations);
    }
    return new MigrationSetModel(name, packageName, setElement == null ? null : packageName, versioned, checkedFrom,
        List.copyOf(migrations));
  }

  static String commonPackage(java.util.Collection<MigrationModel> migrations) {
    String[] common = null;
    int length = 0;
    for (MigrationModel m : migrations) {
      String[] parts = m.packageName().isEmpty() ? new String[0] : m.packageName().split("\\.");
      if (common == null) {
        common = parts;
        length = parts.length;
      } else {
        int i = 0;
        while (i < length && i < parts.length && common[i].equals(parts[i])) {
          i++;
        }
        length = i;
      }
    }
    return common == null ? "" : String.join(".", java.util.Arrays.copyOf(common, length));
  }

  // ---- report -----------------------------------------------------------------------------

  private void report(Diagnostic d) {
    Kind kind = switch (d.severity()) {
      case ERROR -> Kind.ERROR;
      case WARNING -> Kind.WARNING;
      case NOTE -> Kind.NOTE;
    };
    if (d.className() == null) {
      PackageElement set = setPackageElement();
      if (set != null) {
        processingEnv.getMessager().printMessage(kind, d.text(), set, mirror(set, SET));
      } else {
        processingEnv.getMessager().printMessage(kind, d.text());
      }
      return;
    }
    TypeElement element = type(d.className());
    AnnotationMirror annotation = migrationAnnotation(element);
    switch (d.anchor()) {
      case CLASS -> processingEnv.getMessager().printMessage(kind, d.text(), element);
      case WAIVE -> {
        List<AnnotationMirror> waives = waiveMirrors(element);
        if (waives.isEmpty()) {
          processingEnv.getMessager().printMessage(kind, d.text(), element);
        } else {
          int index = d.waiver() >= 0 && d.waiver() < waives.size() ? d.waiver() : 0;
          if (waives.size() == 1 || !printOnWaiveTree(kind, d.text(), element, index)) {
            processingEnv.getMessager().printMessage(kind, d.text(), element, waives.get(index));
          }
        }
      }
      default -> {
        String attribute = d.anchor().name().toLowerCase(Locale.ROOT);
        AnnotationValue value = explicitValue(annotation, attribute);
        if (value != null) {
          processingEnv.getMessager().printMessage(kind, d.text(), element, annotation, value);
        } else {
          processingEnv.getMessager().printMessage(kind, d.text(), element, annotation);
        }
      }
    }
  }

  /**
   * Reports on the {@code index}-th {@code @Waive} written on {@code element}. Several {@code @Waive}
   * are wrapped by javac in a synthesized {@code @Waive.List} that has no position of its own, so
   * the Messager would put the caret on the class name; the source tree has each one. False when
   * the compiler offers no trees (not javac).
   */
  private boolean printOnWaiveTree(Kind kind, String text, Element element, int index) {
    Trees trees = trees();
    if (trees == null) {
      return false;
    }
    TreePath path = trees.getPath(element);
    if (path == null || !(path.getLeaf() instanceof ClassTree type)) {
      return false;
    }
    int seen = 0;
    for (AnnotationTree annotation : type.getModifiers().getAnnotations()) {
      String name = annotation.getAnnotationType().toString();
      if (name.equals("Waive") || name.endsWith(".Waive")) {
        if (seen++ == index) {
          trees.printMessage(kind, text, annotation, path.getCompilationUnit());
          return true;
        }
      }
    }
    return false;
  }

  // ---- annotation helpers -----------------------------------------------------------------

  /** The {@code @PreMigration}, {@code @PostMigration} or operation annotation on {@code element}. */
  private static AnnotationMirror migrationAnnotation(Element element) {
    List<String> annotations = new ArrayList<>(List.of(PRE, POST));
    annotations.addAll(OPERATIONS);
    for (String annotation : annotations) {
      AnnotationMirror mirror = mirror(element, annotation);
      if (mirror != null) {
        return mirror;
      }
    }
    return null;
  }

  private static AnnotationMirror mirror(Element element, String annotation) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
        return m;
      }
    }
    return null;
  }

  private static List<AnnotationMirror> waiveMirrors(Element element) {
    List<AnnotationMirror> out = new ArrayList<>();
    AnnotationMirror single = mirror(element, WAIVE);
    if (single != null) {
      out.add(single);
    }
    AnnotationMirror list = mirror(element, WAIVE_LIST);
    if (list != null) {
      for (AnnotationValue v : list.getElementValues().values()) {
        @SuppressWarnings("unchecked")
        List<AnnotationValue> items = (List<AnnotationValue>) v.getValue();
        for (AnnotationValue item : items) {
          out.add((AnnotationMirror) item.getValue());
        }
      }
    }
    return out;
  }

  private Map<String, Object> values(AnnotationMirror mirror) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : processingEnv.getElementUtils().getElementValuesWithDefaults(mirror).entrySet()) {
      out.put(e.getKey().getSimpleName().toString(), e.getValue().getValue());
    }
    return out;
  }

  /** Whether every named value has its declared type: an unresolvable value reads as something else. */
  private static boolean hasTypes(Map<String, Object> values, Map<String, Class<?>> types) {
    return types.entrySet().stream().allMatch(t -> t.getValue().isInstance(values.get(t.getKey())));
  }

  private static AnnotationValue explicitValue(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Writes a generated file; an I/O failure is reported, not thrown. */
  private void writeSource(JavaFile file, Element[] origins) {
    ProcessingEnvironment env = processingEnv;
    String name = file.packageName().isEmpty() ? file.typeSpec().name() : file.packageName() + "." + file.typeSpec().name();
    try (Writer w = env.getFiler().createSourceFile(name, origins).openWriter()) {
      file.writeTo(w);
    } catch (IOException e) {
      env.getMessager().printMessage(Kind.ERROR,
          Rule.INTERNAL.tag() + " could not write " + name + ": " + e);
    }
  }

  private void writeResource(String path, String content, Element[] origins) {
    ProcessingEnvironment env = processingEnv;
    try (Writer w = env.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", path, origins).openWriter()) {
      w.write(content);
    } catch (IOException e) {
      env.getMessager().printMessage(Kind.ERROR, Rule.INTERNAL.tag() + " could not write " + path + ": " + e);
    }
  }
}
