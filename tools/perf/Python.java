package perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import workbook.Workbook;
import workbook.WorkbookException;

/** SQLAlchemy's side of --compare: runs tools/perf_compare.py with the workbook's Python, on the same database. */
public final class Python {
    private final String url;
    private final String python;
    private final Path script = Workbook.home().resolve("tools").resolve("perf_compare.py");

    /** Installs SQLAlchemy and unpacks its suite on first use (perf_compare.py setup). */
    public Python(String url) {
        this.url = url;
        Path venv = Workbook.home().resolve(".venv").resolve("bin").resolve("python");
        this.python = Files.isExecutable(venv) ? venv.toString() : "python3";
        call("setup");
    }

    /** The median time SQLAlchemy's own test of that name reports, one Python process per run. */
    public double sqlalchemy(String suite, String test, int n, int warmup, int runs) {
        return Double.parseDouble(call("sqlalchemy", suite, test, url, Integer.toString(n), Integer.toString(warmup), Integer.toString(runs)).strip());
    }

    /** bulk_inserts' native floor: Python's sqlite3 executemany, or COPY through psycopg2 ({name: seconds}). */
    public Map<String, Double> nativeFloor(int n, int warmup, int runs) {
        Map<String, Double> floor = new LinkedHashMap<>();
        for (String line : call("native", url, Integer.toString(n), Integer.toString(warmup), Integer.toString(runs)).strip().split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2) floor.put(parts[0], Double.parseDouble(parts[1]));
        }
        return floor;
    }

    private String call(String... args) {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).directory(Workbook.home().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new WorkbookException("The SQLAlchemy side failed (" + args[0] + "): see its message above; python3 workbook.py install sets up the environment");
            }
            return out;
        } catch (IOException e) {
            throw new WorkbookException("Cannot run " + python + " (" + e.getMessage() + "): run python3 workbook.py install first", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkbookException("Interrupted", e);
        }
    }
}
