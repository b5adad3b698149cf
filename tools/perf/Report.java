package perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import workbook.Engine;
import workbook.WorkbookException;

/** The result table, printed (plain, or beside SQLAlchemy with --compare) and as CSV (--csv). */
public final class Report {
    private Report() {}

    /** One line of the table; native-floor lines have no Java time, Java-only tests no Python time. */
    public record Line(String test, String doc, long rows, long statements, Double javaSeconds, Double pythonSeconds) {}

    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    public static String table(List<Line> lines, boolean compare) {
        StringBuilder out = new StringBuilder();
        if (compare) {
            out.append(String.format(Locale.ROOT, "| %-44s | %10s | %10s | %9s | %10s |%n", "test", "SQLAlchemy", "Java", "ratio", "statements"));
            out.append(String.format(Locale.ROOT, "|%s|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(12), "-".repeat(12), "-".repeat(11), "-".repeat(12)));
            for (Line l : lines) {
                String py = l.pythonSeconds() == null ? "" : String.format(Locale.ROOT, "%.3f s", l.pythonSeconds());
                String java = l.javaSeconds() == null ? "" : String.format(Locale.ROOT, "%.3f s", l.javaSeconds());
                String ratio = l.pythonSeconds() == null || l.javaSeconds() == null ? ""
                        : String.format(Locale.ROOT, "%.2f×", l.pythonSeconds() / l.javaSeconds());
                String statements = l.javaSeconds() == null ? "" : Long.toString(l.statements());
                out.append(String.format(Locale.ROOT, "| %-44s | %10s | %10s | %9s | %10s |%n", l.test(), py, java, ratio, statements));
            }
            out.append("ratio = SQLAlchemy time / Java time (above 1: Java is faster). Native floor rows are Python's own driver.\n");
        } else {
            out.append(String.format(Locale.ROOT, "| %-44s | %10s | %10s | %10s |%n", "test", "Java", "rows", "statements"));
            out.append(String.format(Locale.ROOT, "|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(12), "-".repeat(12), "-".repeat(12)));
            for (Line l : lines) {
                out.append(String.format(Locale.ROOT, "| %-44s | %8.3f s | %10d | %10d |%n", l.test(), l.javaSeconds(), l.rows(), l.statements()));
            }
        }
        return out.toString();
    }

    public static void writeCsv(Path file, String suite, Engine engine, int n, List<Line> lines) {
        StringBuilder out = new StringBuilder("suite,database,num,test,java_seconds,sqlalchemy_seconds,statements,description\n");
        for (Line l : lines) {
            out.append(String.join(",", suite, engine.spec(), Integer.toString(n), l.test(),
                    l.javaSeconds() == null ? "" : String.format(Locale.ROOT, "%.4f", l.javaSeconds()),
                    l.pythonSeconds() == null ? "" : String.format(Locale.ROOT, "%.4f", l.pythonSeconds()),
                    l.javaSeconds() == null ? "" : Long.toString(l.statements()),
                    "\"" + l.doc().replace("\"", "\"\"") + "\"")).append('\n');
        }
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkbookException("Cannot write " + file + " (" + e.getMessage() + "): check the folder", e);
        }
    }
}
