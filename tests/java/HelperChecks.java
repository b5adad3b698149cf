//SOURCES ../../workbook/Workbook.java
//DESCRIPTION Exercises the helper API, bad input included; prints one JSON line per check for tests/test_helper.py

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jooq.impl.DSL;
import workbook.Engine;
import workbook.Db;
import workbook.Workbook;
import workbook.WorkbookException;

/**
 * Each check runs one thing and reports what happened (the error message, counts, output);
 * the Python test decides what is right. Usage: HelperChecks SPEC_PREFIX SCRATCH_DIR
 * where SPEC_PREFIX is "sqlite" or "postgresql".
 */
public class HelperChecks {
    static final ObjectMapper JSON = new ObjectMapper();
    static String kind;
    static Path scratch;

    public static void main(String[] args) throws Exception {
        kind = args[0];
        scratch = Path.of(args[1]);
        Path realHome = Workbook.home();

        check("unknown-database", () -> Workbook.open("mysql:checks"));
        check("invalid-name", () -> Workbook.open(kind + ":Chapter 3"));
        check("empty-spec", () -> Workbook.open(" "));
        check("misspelt-jdbc-url", () -> Workbook.open("jdbc:postgres://127.0.0.1:5432/workbook"));
        check("url-without-jdbc", () -> Workbook.open("postgresql://127.0.0.1:5432/workbook"));
        check("unknown-driver", () -> Workbook.open("jdbc:oracle:thin:@//127.0.0.1:1521/x"));
        check("server-not-running", () -> Workbook.open("jdbc:postgresql://127.0.0.1:1/workbook?user=postgres"));
        check("fresh-on-url", () -> Workbook.fresh("jdbc:sqlite:x.db"));
        check("mariadb-not-running", () -> Workbook.open("jdbc:mariadb://127.0.0.1:1/workbook?user=workbook"));
        check("mysql-url", () -> Workbook.open("jdbc:mysql://127.0.0.1:3306/workbook"));
        String server = System.getenv("WORKBOOK_MARIADB_URL");
        if (kind.equals("mariadb") && server != null) {
            // the workbook user has no password: giving one is a wrong password
            check("mariadb-wrong-password", () -> Workbook.open(server + "&password=wrong"));
            check("mariadb-unknown-database", () -> Workbook.open(server.replaceFirst("/workbook\\?", "/no_such_db?")));
        }

        // A good database: sample data, counts, echo.
        report("sample-counts", () -> {
            try (Db db = Workbook.fresh(kind + ":checks")) {
                db.loadSample();
                Map<String, Object> counts = new LinkedHashMap<>();
                for (String t : List.of("author", "book", "member", "loan")) {
                    counts.put(t, db.dsl().fetchCount(DSL.table(DSL.name(t))));
                }
                counts.put("dialect", db.dialect().getName());
                counts.put("spec", db.toString());
                return counts;
            }
        });
        report("count-and-echo", () -> {
            try (Db db = Workbook.open(kind + ":checks")) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("silent", capture(() -> db.count(() -> db.dsl().fetch("select id from author where id = ?", 1))));
                db.echo(true);
                out.put("echoed", capture(() -> db.count(() -> {
                    db.dsl().fetch("select name from author where id = ?", 2);
                    db.dsl().fetch("select title from book where author_id = ? and in_print = ?", 2, true);
                }))); 
                db.echo(false);
                return out;
            }
        });
        report("session-factory-settings", () -> {
            // 25 entities with keys given, JDBC batches of 10: 3 insert statements, and statistics on
            try (Db db = Workbook.fresh(kind + ":checks");
                 org.hibernate.SessionFactory sf = db.sessionFactory(
                         Map.of("hibernate.jdbc.batch_size", 10, "hibernate.generate_statistics", true), Note.class)) {
                sf.getSchemaManager().create(true);
                int statements = db.count(() -> sf.inTransaction(s -> {
                    for (int i = 1; i <= 25; i++) s.persist(new Note(i, "note " + i));
                }));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("statements", statements);
                out.put("inserts", sf.getStatistics().getEntityInsertCount());
                out.put("rows", db.dsl().fetchCount(DSL.table(DSL.name("note"))));
                return out;
            }
        });
        report("fresh-empties", () -> {
            try (Db db = Workbook.fresh(kind + ":checks")) {
                return Map.of("tables", db.dsl().meta().getTables().stream()
                        .filter(t -> List.of("author", "book", "member", "loan").contains(t.getName()))
                        .filter(t -> db.is(Engine.SQLITE) || "checks".equals(t.getSchema().getName()))
                        .count());
            }
        });

        // rebuilt: a load that fails after it began leaves the old database and no staging copy.
        report("rebuilt", () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            try (Db db = Workbook.rebuilt(kind + ":rebuilt", Db::loadSample)) {
                out.put("loans-after-success", db.dsl().fetchCount(DSL.table(DSL.name("loan"))));
            }
            try {
                Workbook.rebuilt(kind + ":rebuilt", db -> {
                    db.loadSample();
                    db.dsl().execute("delete from loan");
                    throw new WorkbookException("stopped on purpose");
                }).close();
                out.put("error", null);
            } catch (WorkbookException e) {
                out.put("error", e.getMessage());
            }
            try (Db db = Workbook.openExisting(kind + ":rebuilt")) {
                out.put("loans-after-failure", db.dsl().fetchCount(DSL.table(DSL.name("loan"))));
            }
            boolean staging;
            try (Db db = Workbook.openExisting(kind + ":new_rebuilt")) {
                staging = true;
            } catch (WorkbookException e) {
                staging = false;
            }
            out.put("staging-left", staging);
            return out;
        });

        // Data folders that are broken on purpose: nothing may be left half-written.
        for (String broken : List.of("missing-file", "bad-row")) {
            System.setProperty("workbook.home", scratch.resolve(broken).toString());
            check("load-" + broken, () -> {
                try (Db db = Workbook.fresh(kind + ":broken")) {
                    db.loadSample();
                    return db;
                }
            });
            report("after-" + broken, () -> {
                try (Db db = Workbook.open(kind + ":broken")) {
                    return Map.of("tables", db.dsl().meta().getTables().stream()
                            .filter(t -> db.is(Engine.SQLITE) || "broken".equals(t.getSchema().getName()))
                            .map(t -> t.getName()).sorted().toList());
                }
            });
        }
        System.setProperty("workbook.home", realHome.toString());
    }

    @jakarta.persistence.Entity(name = "Note")
    @jakarta.persistence.Table(name = "note")
    public static class Note {
        @jakarta.persistence.Id Integer id;
        String text;

        public Note() {}

        Note(Integer id, String text) {
            this.id = id;
            this.text = text;
        }
    }

    /** Runs something that should fail with a WorkbookException, and reports its message. */
    static void check(String name, Supplier<Object> action) throws Exception {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("check", name);
        try {
            Object result = action.get();
            if (result instanceof AutoCloseable c) c.close();
            line.put("error", null);
        } catch (WorkbookException e) {
            line.put("error", e.getMessage());
        } catch (RuntimeException e) {
            line.put("error", "UNEXPECTED " + e);
        }
        System.out.println(JSON.writeValueAsString(line));
    }

    static void report(String name, Supplier<Object> action) throws Exception {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("check", name);
        try {
            line.put("result", action.get());
        } catch (RuntimeException e) {
            line.put("error", "UNEXPECTED " + e);
        }
        System.out.println(JSON.writeValueAsString(line));
    }

    /** What a piece of work printed, and what it returned. */
    static Map<String, Object> capture(Supplier<Object> work) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true));
        Object value;
        try {
            value = work.get();
        } finally {
            System.setOut(original);
        }
        return Map.of("printed", buffer.toString(), "value", value);
    }
}
