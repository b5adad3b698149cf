//DEPS org.jooq:jooq:3.19.39
//DEPS org.xerial:sqlite-jdbc:3.54.1.0
//DEPS org.postgresql:postgresql:42.7.14
//DEPS org.mariadb.jdbc:mariadb-java-client:3.5.7
//DEPS com.zaxxer:HikariCP:7.1.0
//DEPS net.ttddyy:datasource-proxy:1.11.0
//DEPS org.hibernate.orm:hibernate-core:7.4.13.Final
//DEPS org.hibernate.orm:hibernate-community-dialects:7.4.13.Final
//DEPS jakarta.persistence:jakarta.persistence-api:3.2.0
//DEPS org.liquibase:liquibase-core:4.33.0
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-simple:2.0.17
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.8
//DEPS com.fasterxml.jackson.dataformat:jackson-dataformat-csv:2.21.8
// Not on the classpath, but pinned here too: chapter 2 adds this driver at run time with
// %maven com.h2database:h2:2.3.232
//SOURCES Engine.java Db.java UnpooledDataSource.java Cli.java Errors.java SqlLog.java Show.java SampleData.java WorkbookException.java Chart.java Writers.java
//JAVA_OPTIONS --enable-native-access=ALL-UNNAMED -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.jboss.logging.provider=slf4j
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.log.org.hibernate.orm.jdbc.error=off -Dorg.slf4j.simpleLogger.log.org.mariadb.jdbc=error
//DESCRIPTION The workbook's shared helper API (loaded by every notebook and chapter script)

// The //DEPS lines above are the ONE place where the workbook's library versions live.
// Notebooks get the same jars: their kernel asks JBang for this file's classpath
// (environment/kernel/launch.py), and chapter scripts pull this file in with //SOURCES.
// The //JAVA_OPTIONS lines are the ONE place for the options of every JVM that runs chapter
// code: JBang gives them to every script that sources this file, workbook.py reads them for
// the kernel, and RunChapter passes its own on to the JShell it starts. What they do: no jOOQ
// logo or tips, slf4j at warn (no INFO chatter in outputs), Hibernate's logging through slf4j,
// and no WARN line from Hibernate or MariaDB's driver for each failed statement (the exception carries
// the same message; chapters catch and print it), sqlite-jdbc's native library without a warning.
package workbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The workbook's helper API: one import ({@code import static workbook.Workbook.*;}) gives a
 * notebook or a script everything it needs besides the libraries it teaches.
 *
 * <pre>
 * Db db = fresh("ch03");          // an empty SQLite database db/ch03.sqlite (or a PostgreSQL schema)
 * db.loadSample();                // authors, books, members, loans from data/*.csv
 * show(db.dsl().selectFrom(table("author")).fetch());
 * db.echo(true);                  // print every SQL statement and its bind values
 * int n = db.count(() -> ...);    // how many statements did that run?
 * </pre>
 *
 * A database is named by a spec:
 * <ul>
 *   <li>{@code "ch03"}: the workbook's default database: SQLite, unless {@code WORKBOOK_PG_URL}
 *       (then PostgreSQL) or {@code WORKBOOK_MARIADB_URL} (then MariaDB) is set;</li>
 *   <li>{@code "sqlite:ch03"}: the SQLite file {@code db/ch03.sqlite} under the workbook folder;</li>
 *   <li>{@code "postgresql:ch03"}: the schema {@code ch03} on the server of {@code WORKBOOK_PG_URL};</li>
 *   <li>{@code "mariadb:ch03"}: the database {@code ch03} on the server of {@code WORKBOOK_MARIADB_URL};</li>
 *   <li>{@code "jdbc:..."}: any JDBC URL, used as it is.</li>
 * </ul>
 */
public final class Workbook {
    /** Where notebook outputs go: a MIME bundle (MIME type to data, text/plain always among them). */
    private static volatile Consumer<Map<String, String>> displaySink;

    private Workbook() {}

    /** Opens (and creates if needed) the database named by {@code spec}; its data is kept. */
    public static Db open(String spec) {
        return Db.open(spec, false);
    }

    /**
     * Opens the database named by {@code spec} if it exists, and fails with a clear message if not
     * (open() would create it): for tools that read or change what is there.
     */
    public static Db openExisting(String spec) {
        return Db.openExisting(spec);
    }

    /** Opens the database named by {@code spec} after emptying it: a chapter's clean start. */
    public static Db fresh(String spec) {
        return Db.open(spec, true);
    }

    /**
     * Builds the database {@code spec} names afresh and fills it, without touching the old one
     * until {@code fill} has succeeded: it is built beside it (a file, schema or database named
     * {@code new_NAME}) and then put in its place, so a failed load keeps what was there. For
     * {@code jbang sample-db@.}: {@code Workbook.rebuilt("sample", Db::loadSample)}.
     */
    public static Db rebuilt(String spec, java.util.function.Consumer<Db> fill) {
        return Db.rebuilt(spec, fill);
    }

    /**
     * Checks that {@code spec} names a database {@link #fresh} could empty (a valid name, a known
     * database, its server configured), without connecting or changing anything: for commands
     * given several databases, which refuse a bad one before they empty any other.
     */
    public static void checkFresh(String spec) {
        Db.check(spec, true);
    }

    /**
     * Shows a value: a jOOQ result or record as a table (HTML in a notebook, aligned text in a
     * script), anything else as its text.
     */
    public static void show(Object value) {
        Show.show(value);
    }

    /** Shows a block of HTML in a notebook; in a script prints the text fallback instead. */
    public static void html(String html, String textFallback) {
        display(Map.of("text/html", html), textFallback);
    }

    /**
     * Shows an SVG image in a notebook; in a script prints the text fallback instead.
     *
     * <p>The image goes out twice: as {@code text/html}, an {@code <img>} whose source is the SVG
     * as a data URI, and as {@code image/svg+xml}. JupyterLab does not draw an SVG output in a
     * notebook it does not trust (every fresh clone and every Binder session), but it does draw
     * HTML, and an image inside it, in any notebook; viewers without HTML outputs take the SVG.
     */
    public static void svg(String svg, String textFallback) {
        String uri = "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/html", "<img src=\"" + uri + "\" alt=\"" + Show.escape(firstLine(textFallback)) + "\"/>");
        bundle.put("image/svg+xml", svg);
        display(bundle, textFallback);
    }

    /**
     * Shows a Mermaid diagram (for example the {@code erDiagram} text of {@code jbang reflect@.
     * --mermaid}): drawn in a notebook, whose text fallback is the diagram's text; printed as text
     * in a script. JupyterLab 4 draws the {@code text/vnd.mermaid} output type even in a notebook
     * it does not trust.
     */
    public static void diagram(String mermaid) {
        display(Map.of("text/vnd.mermaid", mermaid), mermaid.endsWith("\n") ? mermaid.substring(0, mermaid.length() - 1) : mermaid);
    }

    /** Shows one output in several forms in a notebook (MIME type to data); a script prints the text. */
    private static void display(Map<String, String> forms, String text) {
        Consumer<Map<String, String>> sink = displaySink;
        if (sink == null) {
            System.out.println(text);
            return;
        }
        Map<String, String> bundle = new LinkedHashMap<>(forms);
        bundle.put("text/plain", text);
        sink.accept(bundle);
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /**
     * The workbook folder: the system property {@code workbook.home}, else {@code WORKBOOK_HOME},
     * else the nearest folder up from the current one that holds jbang-catalog.json.
     */
    public static Path home() {
        String env = System.getProperty("workbook.home", System.getenv("WORKBOOK_HOME"));
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath().normalize();
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("jbang-catalog.json")) && Files.isDirectory(p.resolve("workbook"))) return p;
        }
        return dir;
    }

    /** A file of the workbook's data folder, with a clear error when it is missing. */
    public static Path dataFile(String name) {
        Path file = home().resolve("data").resolve(name);
        if (!Files.isRegularFile(file)) {
            boolean workbook = Files.isDirectory(home().resolve("data")) && Files.isDirectory(home().resolve("workbook"));
            throw new WorkbookException("Data file data/" + name + " not found in " + home() + (workbook
                    ? ": restore it (git checkout data/" + name + ")"
                    : ": this is not the workbook folder; run from it, or set WORKBOOK_HOME to it"));
        }
        return file;
    }

    /** True inside the Jupyter kernel (HTML output), false in a script (text output). */
    public static boolean inNotebook() {
        return displaySink != null;
    }

    /**
     * Called once by the kernel's start-up script to route outputs to the notebook: each is a
     * MIME bundle (MIME type to data) that holds {@code text/plain} too.
     */
    public static void useDisplay(Consumer<Map<String, String>> sink) {
        displaySink = sink;
    }

    /**
     * The chain of an exception's classes, outermost first: {@code "PersistenceException <-
     * ConstraintViolationException <- SQLiteException"}. Chapters print failures this way
     * because the class names are the same on every run, where stack traces are not.
     */
    public static String causes(Throwable e) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) names.add(t.getClass().getSimpleName());
        return String.join(" <- ", names);
    }

    /**
     * A message without the {@code REPL.$JShell$NN$} prefix that JShell gives the classes a
     * notebook defines (its number depends on how many cells ran before).
     */
    public static String clean(String message) {
        return message == null ? null : message.replaceAll("REPL\\.\\$JShell\\$\\d+\\$", "");
    }

    /** {@code jbang workbook@.}: prints where the workbook is and which database chapters use. */
    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("Usage: jbang workbook@.");
            System.out.println("Prints where the workbook is and which database the chapters use (SQLite unless");
            System.out.println("WORKBOOK_PG_URL or WORKBOOK_MARIADB_URL is set). Takes no arguments.");
            return;
        }
        if (args.length > 0) {
            System.err.println("error: workbook@. takes no arguments (got " + Errors.shorten(String.join(" ", args))
                    + "): run it alone to see where the workbook is and which database chapters use");
            System.exit(2);
        }
        System.out.println("Java Data Workbook helper API");
        System.out.println("  workbook folder : " + home());
        Engine d = Engine.byDefault();
        System.out.println("  default database: " + (d == Engine.SQLITE ? "SQLite files in db/"
                : d.displayName() + " at " + d.envVar() + " (each chapter in " + d.freshStart().describe("chNN") + ")"));
        System.out.println("Use it with: import static workbook.Workbook.*;  Db db = fresh(\"mine\");");
    }
}
