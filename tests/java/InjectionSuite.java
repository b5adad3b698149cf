//SOURCES ../../workbook/Workbook.java
//DESCRIPTION Sends each payload of a list through every way the chapters pass a user's text to SQL; prints one JSON line per try for tests/test_sql_injection.py

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.SessionFactory;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import workbook.Db;
import workbook.Engine;
import workbook.Workbook;
import workbook.WorkbookException;

/**
 * Usage: InjectionSuite KIND PAYLOADS.json, KIND being sqlite, postgresql or mariadb (or
 * InjectionSuite names SPEC: the author names of that database as a JSON list). For each
 * payload, each entry point reports what happened (a count, the value read back, the titles
 * found, or the error); the Python test decides what is right. Before and after all payloads it
 * prints the database's fingerprint: every table of the sample with its row count.
 */
public class InjectionSuite {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Table<?> AUTHOR = DSL.table(DSL.name("author"));
    static final Table<?> BOOK = DSL.table(DSL.name("book"));
    static final Field<Integer> ID = DSL.field(DSL.name("id"), Integer.class);
    static final Field<String> NAME = DSL.field(DSL.name("name"), String.class);
    static final Field<String> TITLE = DSL.field(DSL.name("title"), String.class);

    /** The sample's author table as chapter 5 maps it, enough for a query with a named parameter. */
    @jakarta.persistence.Entity(name = "Author")
    @jakarta.persistence.Table(name = "author")
    public static class Author {
        @jakarta.persistence.Id Integer id;
        String name;
        Integer born;
        String country;

        public Author() {}
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("names")) {                 // names SPEC: the author names of a database, in id order, as JSON
            try (Db db = Workbook.openExisting(args[1])) {
                System.out.println(JSON.writeValueAsString(db.dsl().select(NAME).from(AUTHOR).orderBy(ID).fetch(NAME)));
            }
            return;
        }
        String kind = args[0];
        List<String> payloads = List.of(JSON.readValue(Files.readString(Path.of(args[1])), String[].class));
        try (Db db = Workbook.fresh(kind + ":injection"); SessionFactory sf = db.sessionFactory(Author.class)) {
            db.loadSample();
            DSLContext ctx = db.dsl();
            print("fingerprint-before", Map.of("tables", fingerprint(db)));
            for (int i = 0; i < payloads.size(); i++) {
                String p = payloads.get(i);
                int id = 1000 + i;
                // 1. A database name: refused before anything is opened or created.
                for (String engine : List.of("sqlite", kind)) {
                    try (Db other = Workbook.open(engine + ":" + p)) {
                        print("name-" + engine, Map.of("payload", i, "opened", other.toString()));
                    } catch (WorkbookException e) {
                        print("name-" + engine, Map.of("payload", i, "refused", e.getMessage()));
                    }
                }
                // 2. jOOQ, a bind value in a condition, as the chapters write where clauses.
                attempt("jooq-eq", i, () -> Map.of("count", ctx.fetchCount(BOOK, TITLE.eq(p))));
                // 3. Chapter 3's searchTitles: containsIgnoreCase binds and escapes % and _.
                attempt("jooq-contains", i, () -> Map.of("titles",
                        ctx.select(TITLE).from(BOOK).where(TITLE.containsIgnoreCase(p)).orderBy(TITLE).fetch(TITLE)));
                // 4. jOOQ insert of the text, read back.
                Map<String, Object> stored = new LinkedHashMap<>();
                stored.put("payload", i);
                try {
                    ctx.insertInto(AUTHOR, ID, NAME).values(id, p).execute();
                    stored.put("read-back", ctx.select(NAME).from(AUTHOR).where(ID.eq(id)).fetchOne(NAME));
                } catch (RuntimeException e) {
                    stored.put("refused", Workbook.causes(e) + ": " + rootMessage(e));
                }
                print("jooq-insert", stored);
                boolean inserted = stored.containsKey("read-back");
                // 5. Hibernate, a named parameter in HQL.
                try {
                    long n = sf.fromSession(s -> s.createSelectionQuery("select count(*) from Author where name = :name", Long.class)
                            .setParameter("name", p).getSingleResult());
                    print("hql", Map.of("payload", i, "count", n, "inserted", inserted));
                } catch (RuntimeException e) {
                    print("hql", Map.of("payload", i, "refused", Workbook.causes(e) + ": " + rootMessage(e), "inserted", inserted));
                }
                // 6. Plain JDBC, a ? parameter (chapter 2).
                try (Connection c = db.connection();
                     PreparedStatement ps = c.prepareStatement("select count(*) from author where name = ?")) {
                    ps.setString(1, p);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        print("jdbc", Map.of("payload", i, "count", rs.getInt(1), "inserted", inserted));
                    }
                } catch (SQLException e) {
                    print("jdbc", Map.of("payload", i, "refused", String.valueOf(e.getMessage()), "inserted", inserted));
                }
                if (inserted) ctx.deleteFrom(AUTHOR).where(ID.eq(id)).execute();
            }
            print("fingerprint-after", Map.of("tables", fingerprint(db)));
        }
    }

    /** Every table of the database's own schema with its row count, by name. */
    static Map<String, Integer> fingerprint(Db db) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        List<String> names = new ArrayList<>();
        try (Connection c = db.connection();
             ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) names.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
        }
        for (String name : names) out.put(name, db.dsl().fetchCount(DSL.table(DSL.name(name))));
        return out;
    }

    /** Prints what {@code work} returned, or that the database refused the value (and why). */
    static void attempt(String check, int payload, java.util.function.Supplier<Map<String, Object>> work) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("payload", payload);
        try {
            out.putAll(work.get());
        } catch (RuntimeException e) {
            out.put("refused", Workbook.causes(e) + ": " + rootMessage(e));
        }
        print(check, out);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    }

    static void print(String check, Map<String, Object> fields) throws Exception {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("check", check);
        line.putAll(fields);
        System.out.println(JSON.writeValueAsString(line));
    }
}
