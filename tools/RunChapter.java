//SOURCES ../workbook/Workbook.java
//DESCRIPTION Runs a chapter's notebook headless: every code cell, in order, in a fresh JShell

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import workbook.Workbook;

/**
 * The script behind {@code jbang chNN@.}: a chapter is written once, as its notebook, and this
 * runs that notebook's code cells top to bottom in JShell (the engine inside the IJava kernel),
 * printing each section title and each cell's output. So the notebook and the script can never
 * drift apart. Cells tagged {@code notebook-only} (Jupyter magics such as %maven) are skipped.
 */
@Command(name = "chapter", mixinStandardHelpOptions = true,
        description = "Runs a chapter of the workbook headless (its notebook's code cells, in order).",
        footer = {"", "Examples:", "  jbang ch03@.              chapter 3 on SQLite",
                "  WORKBOOK_PG_URL=jdbc:postgresql://localhost:5432/workbook?user=me jbang ch03@.",
                "  jbang ch03@. --code       also print each cell's code"})
public class RunChapter implements Callable<Integer> {
    /** What the IJava kernel imports before any cell (its ijava-jshell-init.jshell), so cells see the same names. */
    static final String IJAVA_IMPORTS = String.join("\n", "import java.util.*;", "import java.io.*;", "import java.math.*;",
            "import java.net.*;", "import java.util.concurrent.*;", "import java.util.prefs.*;", "import java.util.regex.*;",
            "public void printf(String format, Object... args) { System.out.printf(format, args); }", "");

    @Parameters(index = "0", paramLabel = "CHAPTER", description = "chapter number (3 or 03) or a notebook file")
    String chapter;

    @Option(names = "--code", description = "print each cell's code before its output")
    boolean showCode;

    public static void main(String... args) {
        System.exit(new CommandLine(new RunChapter()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path notebook = findNotebook(chapter);
        JsonNode cells = new ObjectMapper().readTree(notebook.toFile()).path("cells");
        PrintStream out = System.out;
        int failures = 0;
        try (JShell shell = JShell.builder()
                .out(out).err(System.err)
                // this JVM's own options: JBang took them from //JAVA_OPTIONS of workbook/Workbook.java
                .remoteVMOptions(ManagementFactory.getRuntimeMXBean().getInputArguments().toArray(String[]::new))
                .build()) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            String startup = IJAVA_IMPORTS + Files.readString(Workbook.home().resolve("workbook/startup.jshell"));
            if (!run(shell, startup, false, out)) {
                System.err.println("error: the workbook start-up script failed");
                return 1;
            }
            int number = 0;
            for (JsonNode cell : cells) {
                String source = text(cell.path("source"));
                List<String> tags = new ArrayList<>();
                cell.path("metadata").path("tags").forEach(t -> tags.add(t.asText()));
                if (cell.path("cell_type").asText().equals("markdown")) {
                    source.lines().filter(l -> l.startsWith("#")).findFirst()
                            .ifPresent(h -> out.println("\n" + h.replaceAll("^#+\\s*", "== ") + " =="));
                    continue;
                }
                if (!cell.path("cell_type").asText().equals("code") || source.isBlank()) continue;
                number++;
                if (tags.contains("notebook-only")) {
                    out.println("[cell " + number + " runs in the notebook only: "
                            + source.lines().findFirst().orElse("").strip() + " ...]");
                    continue;
                }
                if (showCode) {
                    out.println(source.lines().map(l -> "jshell> " + l).collect(Collectors.joining("\n")));
                }
                boolean expectError = tags.contains("raises-exception");
                boolean ok = run(shell, source, expectError, out);
                if (!ok && !expectError) {
                    failures++;
                    System.err.println("error: cell " + number + " of " + notebook.getFileName() + " failed");
                    break;
                }
            }
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    /** Evaluates one cell snippet by snippet; prints the value of a final expression, as Jupyter does. */
    private static boolean run(JShell shell, String source, boolean expectError, PrintStream out) {
        // A failure the notebook shows (a cell tagged raises-exception) is part of the chapter's
        // output; any other is an error, and errors go to stderr.
        PrintStream failures = expectError ? out : System.err;
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        boolean ok = true;
        String lastValue = null;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            String snippet = info.source() != null ? info.source() : remaining;
            remaining = info.source() != null ? info.remaining() : "";
            lastValue = null;
            for (SnippetEvent event : shell.eval(snippet)) {
                if (event.causeSnippet() != null) continue;
                if (event.exception() != null) {
                    Exception e = event.exception();
                    String name = e instanceof EvalException ? ((EvalException) e).getExceptionClassName()
                            : e.getClass().getName();
                    failures.println(name + ": " + e.getMessage());
                    ok = false;
                } else if (event.status() == Snippet.Status.REJECTED) {
                    shell.diagnostics(event.snippet()).forEach(d -> failures.println("compile error: "
                            + d.getMessage(null) + "\n    " + event.snippet().source().strip()));
                    ok = false;
                } else if (event.value() != null && isExpression(event.snippet())) {
                    lastValue = event.value();
                }
            }
            out.flush();
            if (!ok) return false;
        }
        if (lastValue != null) out.println(unquote(lastValue).stripTrailing());
        return ok;
    }

    private static boolean isExpression(Snippet snippet) {
        return snippet.kind() == Snippet.Kind.EXPRESSION
                || (snippet.kind() == Snippet.Kind.VAR && snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\n", "\n").replace("\\\"", "\"");
        }
        return value;
    }

    private static String text(JsonNode source) {
        if (source.isArray()) {
            StringBuilder b = new StringBuilder();
            source.forEach(line -> b.append(line.asText()));
            return b.toString();
        }
        return source.asText();
    }

    private static Path findNotebook(String chapter) throws Exception {
        Path given = Path.of(chapter);
        if (chapter.endsWith(".ipynb")) {
            if (Files.isRegularFile(given)) return given;
            throw new CommandLine.ParameterException(new CommandLine(new RunChapter()), "No such notebook: " + chapter);
        }
        if (!chapter.matches("\\d{1,2}")) {
            throw new CommandLine.ParameterException(new CommandLine(new RunChapter()),
                    "CHAPTER must be a number such as 3 or 03, or a .ipynb file, not '" + chapter + "'");
        }
        String prefix = String.format("%02d-", Integer.parseInt(chapter));
        Path dir = Workbook.home().resolve("notebooks");
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".ipynb"))
                    .findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(new RunChapter()),
                            "No chapter " + chapter + " in " + dir + ": run from the workbook folder or set WORKBOOK_HOME"));
        }
    }
}
