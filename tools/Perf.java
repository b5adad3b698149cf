//SOURCES ../workbook/Workbook.java
//SOURCES perf/*.java
//DESCRIPTION The Java twin of SQLAlchemy's performance suite (examples/performance), optionally run side by side with it

// The tests live in tools/perf/, a file per suite (BulkInserts.java, ...); this file runs them.
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import perf.Case;
import perf.Python;
import perf.Report;
import perf.Report.Line;
import perf.RunContext;
import perf.Suite;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import workbook.Cli;
import workbook.Engine;
import workbook.Workbook;
import workbook.WorkbookException;

@Command(name = "perf", mixinStandardHelpOptions = true,
        description = {"Runs the Java twin of SQLAlchemy's performance suite: the same suites, tables and rows,"
                + " one Java test per SQLAlchemy test (plus a few Java-only paths), on SQLite or PostgreSQL.",
                "Each test runs after a warm-up; the table shows the median of the runs, the rows and the"
                + " SQL statements sent (a JDBC batch counts as one), counted by datasource-proxy in the first"
                + " run only, so that the proxy's cost is not timed. --compare also runs SQLAlchemy's own"
                + " suite (from its PyPI source distribution) on the same database, and the native floor."},
        footer = {"", "SUITE is one of: bulk_inserts, bulk_updates, large_resultsets, short_selects,", "single_inserts.",
                "DBURL is a JDBC URL (default: jdbc:sqlite:db/perf.sqlite, under the workbook folder).", "",
                "Examples:", "  jbang perf@. bulk_inserts --num 100000",
                "  jbang perf@. short_selects --test test_core_reuse_stmt --runs 5",
                "  jbang perf@. bulk_inserts --num 20000 --compare \\", "      --csv data/perf/bulk_inserts-sqlite.csv",
                "  jbang perf@. bulk_inserts --compare \\", "      --dburl \"jdbc:postgresql://localhost:5432/perf?user=me\""})
public class Perf implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SUITE", description = "suite to run")
    String suite;

    @Option(names = "--test", split = ",", paramLabel = "NAME", description = "run only these tests (comma-separated)")
    List<String> only;

    @Option(names = "--dburl", paramLabel = "URL", description = "JDBC URL of the database (default: db/perf.sqlite)")
    String dburl;

    @Option(names = "--num", paramLabel = "N", description = "rows or iterations (default: the suite's, as in SQLAlchemy)")
    Integer num;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "R", description = "measured runs per test; the median is shown (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "W", description = "unmeasured warm-up runs per test; the first run counts the statements (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--compare", description = "also run SQLAlchemy's own suite and the native floor, and print one table")
    boolean compare;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write the table as CSV to FILE")
    Path csv;

    @Option(names = "--list", description = "list the suite's tests (twin of SQLAlchemy's, Java only, PostgreSQL only) and exit")
    boolean list;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String... args) {
        System.exit(new CommandLine(new Perf()).execute(args));
    }

    @Override
    public Integer call() {
        Suite s = Suite.named(suite);
        if (s == null) {
            return Cli.fail("Unknown suite '" + suite
                    + "': use one of bulk_inserts, bulk_updates, large_resultsets, short_selects, single_inserts");
        }
        if (list) {
            for (Case c : s.cases()) System.out.printf(Locale.ROOT, "%-44s %-15s %s%n", c.name(), c.kind(), c.doc());
            return 0;
        }
        if (runs < 1 || warmup < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be 1 or more and --warmup 0 or more");
        int n = num != null ? num : s.defaultNum();
        if (n < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--num must be 1 or more");
        String url = dburl != null ? dburl : "jdbc:sqlite:" + Workbook.home().resolve("db").resolve("perf.sqlite");
        try {
            if (Engine.ofUrl(url).orElse(null) == Engine.SQLITE) Files.createDirectories(Workbook.home().resolve("db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (RunContext ctx = RunContext.open(url)) {
            ctx.claimCustomerTable(dburl == null);
            List<Case> cases = selected(s, ctx.engine());
            System.out.printf(Locale.ROOT, "%s on %s: %d rows, median of %d run%s after %d warm-up%s%n", suite,
                    ctx.engine().displayName(), n, runs, runs == 1 ? "" : "s", warmup, warmup == 1 ? "" : "s");
            System.out.println("settings: " + ctx.settings());
            if (s.setupOnce()) s.setup().prepare(ctx, n);
            List<Line> lines = new ArrayList<>();
            Python python = compare ? new Python(url) : null;
            for (Case c : cases) {
                List<Double> times = new ArrayList<>();
                long rows = 0;
                long statements = 0;
                for (int r = 0; r < warmup + runs; r++) {
                    // The first run counts the statements (through the proxy); the others run plain.
                    ctx.counting(true);
                    if (!s.setupOnce()) s.setup().prepare(ctx, n);
                    ctx.counting(r == 0);
                    ctx.orm(true);    // Hibernate boots outside the measured part (and its metadata queries are not counted)
                    ctx.orm(false);
                    System.gc();
                    long start = System.nanoTime();
                    RunContext.Outcome outcome = ctx.run(c.body(), n);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    rows = outcome.rows();
                    if (r == 0) statements = outcome.statements();
                    ctx.counting(true);
                    s.verify().check(ctx, c, n, rows);
                    if (r >= warmup) times.add(seconds);
                }
                Double py = python != null && !c.javaOnly() ? python.sqlalchemy(suite, c.name(), n, warmup, runs) : null;
                Line line = new Line(c.name(), c.doc(), rows, statements, Report.median(times), py);
                lines.add(line);
                System.out.printf(Locale.ROOT, "  %-44s %9.3f s  %7d statements%s%n", c.name(), line.javaSeconds(), statements,
                        py == null ? "" : String.format(Locale.ROOT, "   (SQLAlchemy %.3f s)", py));
            }
            if (python != null && suite.equals("bulk_inserts") && only == null) {
                for (Map.Entry<String, Double> floor : python.nativeFloor(n, warmup, runs).entrySet()) {
                    lines.add(new Line(floor.getKey(), "native floor", n, 0, null, floor.getValue()));
                }
            }
            System.out.println();
            System.out.print(Report.table(lines, compare));
            if (csv != null) Report.writeCsv(csv, suite, ctx.engine(), n, lines);
            return 0;
        } catch (WorkbookException e) {
            return Cli.fail(e);
        } catch (Exception e) {
            return Cli.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The suite's tests that --test names (all by default), without the PostgreSQL-only ones elsewhere. */
    List<Case> selected(Suite s, Engine engine) {
        List<Case> cases = new ArrayList<>();
        for (Case c : s.cases()) {
            if (c.postgresOnly() && engine != Engine.POSTGRESQL) continue;
            if (only == null || only.contains(c.name())) cases.add(c);
        }
        if (only != null) {
            for (String name : only) {
                if (s.cases().stream().noneMatch(c -> c.name().equals(name))) {
                    throw new WorkbookException("No test " + name + " in " + suite + ": the tests are "
                            + s.cases().stream().map(Case::name).collect(Collectors.joining(", ")));
                }
            }
            if (cases.isEmpty()) throw new WorkbookException("The tests asked for run on PostgreSQL only");
        }
        return cases;
    }
}
