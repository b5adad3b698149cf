//SOURCES ../workbook/Workbook.java
//DESCRIPTION Prints the schema of any database (tables, columns, keys, indexes, views) as text, or as a Mermaid ER diagram

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.ForeignKey;
import org.jooq.Index;
import org.jooq.Meta;
import org.jooq.Schema;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.TableOptions.TableType;
import org.jooq.UniqueKey;
import org.jooq.exception.DataAccessException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import workbook.Db;
import workbook.Engine;
import workbook.Workbook;
import workbook.WorkbookException;

/**
 * {@code jbang reflect@. DATABASE}: reflects a database it knows nothing about (jOOQ's
 * {@code DSLContext.meta()}, which reads the driver's {@code DatabaseMetaData}) and prints what it
 * finds. Chapter 8 teaches the APIs behind it; this tool does not share code with the notebook.
 */
@Command(name = "reflect", mixinStandardHelpOptions = true,
        description = {"Prints the schema of a database: every table and view with its columns (type, nullability),",
                "primary key, foreign keys, unique constraints and indexes, as aligned text; or, with --mermaid,",
                "an ER diagram in Mermaid's erDiagram syntax (GitHub and JupyterLab draw it from a ```mermaid block)."},
        footer = {"", "DATABASE is a workbook name (sample, sqlite:ch08, postgresql:ch08; PostgreSQL needs WORKBOOK_PG_URL)",
                "or any JDBC URL. On PostgreSQL the schema is the workbook name's own, else the connection's current",
                "schema (usually public), unless --schema names another. A SQLite file must exist (SQLite would",
                "otherwise create an empty one). Indexes lists the indexes besides those behind the primary and",
                "unique keys. Names the database did not store (SQLite keeps none for an unnamed constraint) show as",
                "(unnamed); jOOQ's invented uk_... names for SQLite unique keys are shown as jOOQ reports them.", "",
                "Exit status: 0 when it printed a schema; 1 with one line 'error: ...' on stderr when the database",
                "cannot be reached, the URL is malformed, the schema does not exist, or there is nothing to show:",
                "a database with no tables and no views is reported as an error (usually a wrong name or schema).", "",
                "Examples:", "  jbang reflect@. sample", "  jbang reflect@. sqlite:ch08_chinook --mermaid",
                "  jbang reflect@. jdbc:sqlite:db/sample.sqlite",
                "  jbang reflect@. \"jdbc:postgresql://localhost:5432/shop?user=me\" --schema sales"})
public class Reflect implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATABASE", description = "workbook database name or JDBC URL")
    String database;

    @Option(names = "--mermaid", description = "print a Mermaid erDiagram instead of the text listing")
    boolean mermaid;

    @Option(names = "--schema", paramLabel = "NAME", description = "the schema to reflect (PostgreSQL; SQLite has only main)")
    String schema;

    public static void main(String... args) {
        System.exit(new CommandLine(new Reflect()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            requireExistingSqliteFile(database);
            try (Db db = Workbook.open(database)) {
                List<Table<?>> tables = reflect(db);
                System.out.print(mermaid ? mermaid(tables) : listing(db, tables));
            }
            return 0;
        } catch (WorkbookException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (DataAccessException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("error: reading the schema failed: " + firstLine(cause.getMessage()));
            return 1;
        }
    }

    /** SQLite creates a missing file on open; a reflection tool should say the file is not there instead. */
    static void requireExistingSqliteFile(String spec) {
        String s = spec == null ? "" : spec.strip();
        Path file = null;
        if (s.startsWith("jdbc:sqlite:")) {
            String rest = s.substring("jdbc:sqlite:".length());
            int q = rest.indexOf('?');
            if (q >= 0) rest = rest.substring(0, q);
            if (rest.startsWith("file:")) rest = rest.substring("file:".length());
            if (rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory")) {
                throw new WorkbookException("an in-memory SQLite database is empty when it opens: give a file");
            }
            file = Path.of(rest);
        } else if (!s.contains(":") && workbook.Engine.byDefault() == Engine.SQLITE && !s.isEmpty()) {
            file = Workbook.home().resolve("db").resolve(s + ".sqlite");
        } else if (s.startsWith("sqlite:")) {
            file = Workbook.home().resolve("db").resolve(s.substring("sqlite:".length()) + ".sqlite");
        }
        if (file != null && !Files.isRegularFile(file)) {
            throw new WorkbookException("no SQLite database " + (s.startsWith("jdbc:") ? "file " + file : "named " + s
                    + " (db/" + file.getFileName() + ")") + ": check the name (create the sample with jbang sample-db@.)");
        }
    }

    /** The tables and views of the chosen schema, sorted by name; an error when there are none. */
    List<Table<?>> reflect(Db db) {
        Meta meta = db.dsl().meta();
        String target;
        if (db.is(Engine.SQLITE)) {
            if (schema != null && !schema.equalsIgnoreCase("main")) {
                throw new WorkbookException("SQLite has one schema per file (main), not '" + schema + "': leave out --schema");
            }
            target = null;
        } else {
            target = schema != null ? schema : currentSchema(db);
            List<String> names = meta.getSchemas().stream().map(Schema::getName).sorted().toList();
            if (target == null || !names.contains(target)) {
                List<String> user = names.stream()
                        .filter(n -> !n.equals("information_schema") && !n.startsWith("pg_")).toList();
                throw new WorkbookException("no schema named '" + target + "' in " + db + " (its schemas: "
                        + String.join(", ", user) + "): pass one with --schema");
            }
            final String wanted = target;
            meta = meta.filterSchemas(s -> s.getName().equals(wanted));
        }
        List<Table<?>> tables = meta.getTables().stream()
                .sorted(Comparator.comparing((Table<?> t) -> isView(t)).thenComparing(Table::getName)).toList();
        if (tables.isEmpty()) {
            throw new WorkbookException(db + (target != null ? " (schema " + target + ")" : "")
                    + " has no tables and no views: check the database name or URL" + (target != null ? " and the schema" : ""));
        }
        return tables;
    }

    private static String currentSchema(Db db) {
        try (Connection c = db.connection()) {
            return c.getSchema();
        } catch (SQLException e) {
            throw new WorkbookException("cannot read the current schema of " + db + ": " + firstLine(e.getMessage()));
        }
    }

    static boolean isView(Table<?> t) {
        return t.getTableType() == TableType.VIEW || t.getTableType() == TableType.MATERIALIZED_VIEW;
    }

    static String listing(Db db, List<Table<?>> tables) {
        long views = tables.stream().filter(Reflect::isView).count();
        StringBuilder out = new StringBuilder();
        out.append(db).append(": ").append(count(tables.size() - views, "table")).append(", ").append(count(views, "view")).append('\n');
        for (Table<?> t : tables) {
            out.append('\n').append(isView(t) ? "VIEW " : "TABLE ").append(t.getName()).append('\n');
            int nameWidth = 0, typeWidth = 0;
            for (Field<?> f : t.fields()) {
                nameWidth = Math.max(nameWidth, f.getName().length());
                typeWidth = Math.max(typeWidth, typeName(f.getDataType()).length());
            }
            out.append("  columns:\n");
            for (Field<?> f : t.fields()) {
                out.append(String.format("    %-" + nameWidth + "s  %-" + typeWidth + "s  %s%n", f.getName(),
                        typeName(f.getDataType()), f.getDataType().nullable() ? "null" : "not null"));
            }
            UniqueKey<?> pk = t.getPrimaryKey();
            if (pk != null) out.append("  primary key: ").append(named(pk.getName())).append(' ').append(columns(pk.getFields())).append('\n');
            for (ForeignKey<?, ?> fk : sortedReferences(t)) {
                out.append("  foreign key: ").append(named(fk.getName())).append(' ').append(columns(fk.getFields()))
                        .append(" -> ").append(fk.getKey().getTable().getName()).append(' ').append(columns(fk.getKeyFields())).append('\n');
            }
            for (UniqueKey<?> uk : t.getUniqueKeys()) {
                out.append("  unique: ").append(named(uk.getName())).append(' ').append(columns(uk.getFields())).append('\n');
            }
            for (Index ix : t.getIndexes()) {
                List<String> cols = ix.getFields().stream().map(SortField::getName).toList();
                out.append("  index: ").append(named(ix.getName())).append(" (").append(String.join(", ", cols)).append(')')
                        .append(ix.getUnique() ? " unique" : "").append('\n');
            }
        }
        return out.toString();
    }

    static String mermaid(List<Table<?>> tables) {
        StringBuilder out = new StringBuilder("erDiagram\n");
        List<Table<?>> real = tables.stream().filter(t -> !isView(t)).toList();
        for (Table<?> t : real) {
            Set<String> pk = t.getPrimaryKey() == null ? Set.of() : names(t.getPrimaryKey().getFields());
            Set<String> fk = new LinkedHashSet<>();
            t.getReferences().forEach(r -> fk.addAll(names(r.getFields())));
            Set<String> uk = new LinkedHashSet<>();
            t.getUniqueKeys().forEach(u -> uk.addAll(names(u.getFields())));
            out.append("    ").append(entity(t.getName())).append(" {\n");
            for (Field<?> f : t.fields()) {
                List<String> keys = new ArrayList<>();
                if (pk.contains(f.getName())) keys.add("PK");
                if (fk.contains(f.getName())) keys.add("FK");
                if (uk.contains(f.getName())) keys.add("UK");
                String type = f.getDataType().getTypeName().replaceAll("[^A-Za-z0-9_]", "_");
                out.append("        ").append(type.isEmpty() ? "unknown" : type).append(' ').append(entity(f.getName()));
                if (!keys.isEmpty()) out.append(' ').append(String.join(", ", keys));
                out.append('\n');
            }
            out.append("    }\n");
        }
        for (Table<?> t : real) {
            for (ForeignKey<?, ?> fk : sortedReferences(t)) {
                boolean optional = fk.getFields().stream().anyMatch(f -> f.getDataType().nullable());
                out.append("    ").append(entity(fk.getKey().getTable().getName())).append(optional ? " |o--o{ " : " ||--o{ ")
                        .append(entity(t.getName())).append(" : \"")
                        .append(fk.getFields().stream().map(Field::getName).collect(Collectors.joining(", "))).append("\"\n");
            }
        }
        return out.toString();
    }

    private static List<ForeignKey<?, ?>> sortedReferences(Table<?> t) {
        List<ForeignKey<?, ?>> refs = new ArrayList<>(t.getReferences());
        refs.sort(Comparator.comparing((ForeignKey<?, ?> k) -> columns(k.getFields())));
        return refs;
    }

    private static String typeName(DataType<?> type) {
        String name = type.getCastTypeName();
        return name == null || name.isBlank() ? "(no type)" : name;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String named(String name) {
        return name == null || name.isBlank() ? "(unnamed)" : name;
    }

    private static Set<String> names(List<? extends Field<?>> fields) {
        return fields.stream().map(Field::getName).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String columns(List<? extends Field<?>> fields) {
        return "(" + fields.stream().map(Field::getName).collect(Collectors.joining(", ")) + ")";
    }

    /** Mermaid entity and attribute names: letters, digits, _ and -. */
    private static String entity(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.strip().split("\\R", 2)[0];
    }
}
