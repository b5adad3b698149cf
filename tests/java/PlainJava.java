import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import jdk.jshell.Diag;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.StatementSnippet;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Turns each chapter's code cells into one plain Java source file and compiles it with javac
 * (analysis only: nothing is run, no class file is written). Used by tests/test_plain_java.py.
 *
 * <p>Usage: {@code java -cp CLASSPATH tests/java/PlainJava.java INPUT OUTPUT}. INPUT holds
 * {@code prelude.java} (the imports the start-up gives, one a line) and one folder per chapter
 * with its cells as {@code cell-NNN.java} (NNN: the code cell's number in the notebook) or
 * {@code cell-NNN.raises.java} (a cell tagged raises-exception: kept only if JShell compiles it).
 * OUTPUT gets one {@code ChapterNN.java} per chapter. Stdout: one line per problem,
 * {@code problem<TAB>chapter<TAB>cell<TAB>message} (message with "\n" for new lines), and one
 * line {@code file<TAB>chapter<TAB>path} per chapter.
 *
 * <p>JShell's own analysis splits a cell into snippets (SourceCodeAnalysis#analyzeCompletion)
 * and classifies each one by evaluating it in a JShell whose execution engine runs nothing: it
 * compiles every snippet, as the kernel does, and so knows what each is and the type JShell
 * gives each variable (VarSnippet#typeName, also for {@code var}), but loads and invokes no code.
 * The mapping to a class is JShell's own: JShell keeps a variable as a static field of a
 * wrapper class, a method as a static method, a class as a static nested class. So imports go
 * at the top, types and methods become static members, each variable a static field of the
 * type JShell gave it, set where its declaration stood, and each cell's statements go in a
 * method {@code cellNNN()} that {@code main} calls in cell order.
 */
public class PlainJava {
    /** An execution engine that runs nothing: JShell compiles each snippet, and that is all. */
    static final class NoExecution implements ExecutionControl {
        public void load(ClassBytecodes[] cbcs) {}
        public void redefine(ClassBytecodes[] cbcs) {}
        public String invoke(String className, String methodName) { return ""; }
        public String varValue(String className, String varName) { return ""; }
        public void addToClasspath(String path) {}
        public void stop() {}
        public Object extensionCommand(String command, Object arg) { return null; }
        public void close() {}
    }

    static final class NoExecutionProvider implements ExecutionControlProvider {
        public String name() { return "none"; }
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) { return new NoExecution(); }
    }

    record Problem(String chapter, int cell, String message) {}

    /** One line of the plain program, with the cell it came from (0: the prelude). */
    record Line(int cell, String text) {}

    static final List<Problem> problems = new ArrayList<>();
    static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        Files.createDirectories(output);
        List<String> prelude = Files.readAllLines(input.resolve("prelude.java")).stream()
                .filter(l -> !l.isBlank()).collect(Collectors.toList());
        String classpath = System.getProperty("java.class.path");
        List<Path> chapters;
        try (Stream<Path> s = Files.list(input)) {
            chapters = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
        Map<String, List<Line>> programs = new LinkedHashMap<>();
        for (Path chapter : chapters) {
            programs.put(chapter.getFileName().toString(), program(chapter, prelude, classpath));
        }
        compile(programs, output, classpath);
        for (Problem p : problems) {
            System.out.println("problem\t" + p.chapter() + "\t" + p.cell() + "\t"
                    + p.message().replace("\\", "\\\\").replace("\n", "\\n").replace("\t", " "));
        }
    }

    static String className(String chapter) {
        return "Chapter" + chapter.replaceAll("^(\\d+).*", "$1");
    }

    /** A chapter's cells as the lines of one plain Java file. */
    static List<Line> program(Path chapter, List<String> prelude, String classpath) throws IOException {
        String name = chapter.getFileName().toString();
        List<Path> cells;
        try (Stream<Path> s = Files.list(chapter)) {
            cells = s.filter(p -> p.getFileName().toString().startsWith("cell-")).sorted().collect(Collectors.toList());
        }
        Map<String, Integer> imports = new LinkedHashMap<>();
        for (String i : prelude) imports.put(i, 0);
        List<Line> members = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();     // name -> type
        Map<String, Integer> fieldCells = new LinkedHashMap<>();
        List<Integer> cellMethods = new ArrayList<>();
        List<Line> bodies = new ArrayList<>();
        try (JShell shell = JShell.builder().executionEngine(new NoExecutionProvider(), Map.of())
                .out(NOWHERE).err(NOWHERE).build()) {
            shell.addToClasspath(classpath);
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            for (String line : prelude) {
                for (SnippetEvent e : shell.eval(line)) {
                    if (e.status() != Snippet.Status.VALID) {
                        problems.add(new Problem(name, 0, "the start-up import does not compile: " + line));
                    }
                }
            }
            for (Path file : cells) {
                String fileName = file.getFileName().toString();
                int cell = Integer.parseInt(fileName.replaceAll("^cell-(\\d+).*", "$1"));
                boolean raises = fileName.contains(".raises.");
                List<Snippet> snippets = new ArrayList<>();
                List<String> errors = new ArrayList<>();
                String remaining = Files.readString(file);
                while (!remaining.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                    String source = info.source() != null ? info.source() : remaining;
                    remaining = info.source() != null ? info.remaining() : "";
                    for (SnippetEvent e : shell.eval(source)) {
                        if (e.causeSnippet() != null) continue;
                        Snippet s = e.snippet();
                        if (e.status() == Snippet.Status.REJECTED) {
                            shell.diagnostics(s).filter(Diag::isError).forEach(d -> errors.add(
                                    "JShell rejects it: " + d.getMessage(Locale.ROOT) + "\n    " + s.source().strip()));
                            if (shell.diagnostics(s).noneMatch(Diag::isError)) {
                                errors.add("JShell rejects it: " + s.source().strip());
                            }
                        } else if (e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                            errors.add("JShell cannot define it, unresolved: "
                                    + shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) s)
                                            .collect(Collectors.joining(", ")) + "\n    " + s.source().strip());
                        } else {
                            snippets.add(s);
                        }
                    }
                }
                if (raises && !errors.isEmpty()) continue;   // a cell meant to fail that does not compile
                for (String error : errors) problems.add(new Problem(name, cell, error));
                List<Line> body = new ArrayList<>();
                for (int i = 0; i < snippets.size(); i++) {
                    Snippet s = snippets.get(i);
                    boolean last = i == snippets.size() - 1;
                    String src = s.source().strip();
                    if (s instanceof ImportSnippet) {
                        imports.putIfAbsent(src.endsWith(";") ? src : src + ";", cell);
                    } else if (s instanceof TypeDeclSnippet || s instanceof MethodSnippet) {
                        // JShell keeps these as static members of its wrapper classes; so does the program
                        members.add(new Line(cell, ""));
                        for (String l : ("static " + src).split("\n", -1)) members.add(new Line(cell, "    " + l));
                    } else if (s instanceof VarSnippet) {
                        VarSnippet v = (VarSnippet) s;
                        if (v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                            // a value the notebook shows when it ends the cell: a program prints it
                            String expr = stripSemicolon(src);
                            body.add(new Line(cell, last || !isStatementExpression(expr)
                                    ? "System.out.println(" + expr + ");" : expr + ";"));
                            continue;
                        }
                        String type = v.typeName();
                        String previous = fields.get(v.name());
                        if (previous != null && !previous.equals(type)) {
                            problems.add(new Problem(name, cell, "variable " + v.name() + " is declared again as "
                                    + type + " (cell " + fieldCells.get(v.name()) + " declared it as " + previous
                                    + "): a program cannot hold both"));
                        }
                        if (previous == null) {
                            fields.put(v.name(), type);
                            fieldCells.put(v.name(), cell);
                        }
                        String init = initializer(src, type);
                        if (init != null) body.add(new Line(cell, v.name() + " = " + init + ";"));
                    } else if (s instanceof ExpressionSnippet) {
                        ExpressionSnippet x = (ExpressionSnippet) s;
                        String expr = stripSemicolon(src);
                        body.add(new Line(cell, x.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND
                                ? "System.out.println(" + expr + ");" : expr + ";"));
                    } else if (s instanceof StatementSnippet) {
                        for (String l : src.split("\n", -1)) body.add(new Line(cell, l));
                    } else {
                        problems.add(new Problem(name, cell, "snippet of unknown kind " + s.kind() + ": " + src));
                    }
                }
                if (!body.isEmpty()) {
                    cellMethods.add(cell);
                    bodies.add(new Line(cell, ""));
                    bodies.add(new Line(cell, "    // code cell " + cell));
                    bodies.add(new Line(cell, "    static void cell" + cell + "() throws Throwable {"));
                    for (Line l : body) {
                        for (String t : l.text().split("\n", -1)) bodies.add(new Line(cell, "        " + t));
                    }
                    bodies.add(new Line(cell, "    }"));
                }
            }
        }
        List<Line> out = new ArrayList<>();
        out.add(new Line(0, "// " + name + ".ipynb as one plain Java program (made by tests/java/PlainJava.java)"));
        imports.forEach((i, c) -> out.add(new Line(c, i)));
        out.add(new Line(0, ""));
        out.add(new Line(0, "public class " + className(name) + " {"));
        fields.forEach((field, type) -> out.add(new Line(fieldCells.get(field), "    static " + type + " " + field + ";")));
        out.addAll(members);
        out.add(new Line(0, ""));
        out.add(new Line(0, "    public static void main(String[] args) throws Throwable {"));
        for (int c : cellMethods) out.add(new Line(c, "        cell" + c + "();"));
        out.add(new Line(0, "    }"));
        out.addAll(bodies);
        out.add(new Line(0, "}"));
        return out;
    }

    static String stripSemicolon(String s) {
        s = s.strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).strip();
        return s;
    }

    /** Parses one snippet as a statement with javac's parser. */
    static StatementTree parseStatement(String statement, SourcePositions[] positions, int[] offset) {
        String prefix = "class P { void m() {\n";
        String source = prefix + statement + "\n} }";
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavacTask task = (JavacTask) javac.getTask(null, null, d -> {}, List.of("-proc:none"), null,
                List.of(new Source("P", source)));
        try {
            CompilationUnitTree unit = task.parse().iterator().next();
            ClassTree c = (ClassTree) unit.getTypeDecls().get(0);
            for (Tree member : c.getMembers()) {
                if (member instanceof MethodTree && ((MethodTree) member).getName().contentEquals("m")) {
                    BlockTree body = ((MethodTree) member).getBody();
                    if (body.getStatements().isEmpty()) return null;
                    positions[0] = Trees.instance(task).getSourcePositions();
                    offset[0] = prefix.length();
                    positions[1] = null;
                    unitHolder[0] = unit;
                    return body.getStatements().get(0);
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return null;
    }

    static final CompilationUnitTree[] unitHolder = new CompilationUnitTree[1];

    /** The initializer of a variable's declaration, as source; null without one. */
    static String initializer(String declaration, String type) {
        SourcePositions[] positions = new SourcePositions[2];
        int[] offset = new int[1];
        StatementTree tree = parseStatement(stripSemicolon(declaration) + ";", positions, offset);
        if (!(tree instanceof VariableTree)) return null;
        ExpressionTree init = ((VariableTree) tree).getInitializer();
        if (init == null) return null;
        String text = declaration.substring(
                (int) positions[0].getStartPosition(unitHolder[0], init) - offset[0],
                (int) positions[0].getEndPosition(unitHolder[0], init) - offset[0]);
        if (init instanceof NewArrayTree && ((NewArrayTree) init).getType() == null) {
            return "new " + type + " " + text;   // int[] a = {1, 2}: an assignment needs the type
        }
        return text;
    }

    static boolean isStatementExpression(String expr) {
        SourcePositions[] positions = new SourcePositions[2];
        StatementTree tree = parseStatement(expr + ";", positions, new int[1]);
        if (!(tree instanceof com.sun.source.tree.ExpressionStatementTree)) return false;
        switch (((com.sun.source.tree.ExpressionStatementTree) tree).getExpression().getKind()) {
            case METHOD_INVOCATION: case NEW_CLASS: case ASSIGNMENT: case PREFIX_INCREMENT: case PREFIX_DECREMENT:
            case POSTFIX_INCREMENT: case POSTFIX_DECREMENT: case PLUS_ASSIGNMENT: case MINUS_ASSIGNMENT:
            case MULTIPLY_ASSIGNMENT: case DIVIDE_ASSIGNMENT: case REMAINDER_ASSIGNMENT: case OR_ASSIGNMENT:
            case AND_ASSIGNMENT: case XOR_ASSIGNMENT: case LEFT_SHIFT_ASSIGNMENT: case RIGHT_SHIFT_ASSIGNMENT:
            case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT:
                return true;
            default:
                return false;
        }
    }

    static final class Source extends SimpleJavaFileObject {
        final String text;
        Source(String className, String text) {
            super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
            this.text = text;
        }
        @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) { return text; }
    }

    /** Writes each program and compiles them all with javac, analysis only; maps errors to cells. */
    static void compile(Map<String, List<Line>> programs, Path output, String classpath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, String> chapterOf = new LinkedHashMap<>();
        Map<String, List<Line>> linesOf = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        for (var entry : programs.entrySet()) {
            Path file = output.resolve(className(entry.getKey()) + ".java");
            Files.writeString(file, entry.getValue().stream().map(Line::text).collect(Collectors.joining("\n")) + "\n",
                    StandardCharsets.UTF_8);
            files.add(file);
            chapterOf.put(file.toAbsolutePath().toString(), entry.getKey());
            linesOf.put(file.toAbsolutePath().toString(), entry.getValue());
            System.out.println("file\t" + entry.getKey() + "\t" + file.toAbsolutePath());
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fm, diagnostics,
                    List.of("-proc:none", "-nowarn", "-Xlint:none", "-encoding", "UTF-8", "-classpath", classpath),
                    null, fm.getJavaFileObjectsFromPaths(files));
            task.analyze();
        }
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            String path = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).toAbsolutePath().toString();
            String chapter = chapterOf.getOrDefault(path, "?");
            List<Line> lines = linesOf.get(path);
            int line = (int) d.getLineNumber();
            Line at = lines != null && line >= 1 && line <= lines.size() ? lines.get(line - 1) : new Line(0, "");
            int cell = at.cell();
            problems.add(new Problem(chapter, cell, "javac: " + d.getMessage(Locale.ROOT)
                    + "\n    " + className(chapter) + ".java:" + line + ": " + at.text().strip()));
        }
    }
}
