//SOURCES ../workbook/Workbook.java
//DESCRIPTION Prints the schema of any database (tables, columns, keys, indexes, views, enum types, domains, partitions, triggers) as text, or as a Mermaid ER diagram

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jooq.Field;
import org.jooq.ForeignKey;
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
import workbook.Cli;
import workbook.Db;
import workbook.Engine;
import workbook.Workbook;
import workbook.WorkbookException;

/**
 * {@code jbang reflect@. DATABASE}: reflects a database it knows nothing about and prints what it
 * finds. The structure (tables, views, columns, nullability, keys, indexes) comes from jOOQ's
 * {@code DSLContext.meta()}, which reads the driver's {@code DatabaseMetaData}; what jOOQ does not
 * say, or says in its own words (column types as the database names them, enum types, domains,
 * partitions, triggers), comes from each database's own catalog. Chapter 8 teaches the APIs
 * behind it; this tool does not share code with the notebook.
 */
@Command(name = "reflect", mixinStandardHelpOptions = true,
        description = {
                "Prints the schema of a database: its enum types and domains, then every table",
                "and view with its columns (type, nullability), primary key, foreign keys,",
                "unique constraints, indexes, partitions and triggers, as aligned text; or,",
                "with --mermaid, an ER diagram in Mermaid's erDiagram syntax (GitHub and",
                "JupyterLab draw it from a ```mermaid block)."},
        footer = {
                "",
                "DATABASE is a workbook name (sample, sqlite:ch08, postgresql:ch08,",
                "mariadb:ch08; a server needs WORKBOOK_PG_URL or WORKBOOK_MARIADB_URL) or any",
                "JDBC URL. On PostgreSQL the schema is the workbook name's own, else the",
                "connection's current schema (usually public); on MariaDB, where a schema is a",
                "database, the workbook name's database, else the URL's; --schema names",
                "another. A SQLite file must exist (SQLite would otherwise create an empty",
                "one).",
                "",
                "Column types are spelt as each database's own catalog spells them: SQLite the",
                "declared type (pragma table_xinfo, in lower case; a view's expression column",
                "has none), PostgreSQL pg_catalog.format_type (integer, character varying(200),",
                "numeric(6,2), text[], an enum's or a domain's own name; types of other schemas",
                "qualified), MariaDB information_schema.COLUMNS.COLUMN_TYPE (int(11),",
                "varchar(200), decimal(6,2), tinyint(1) for boolean, enum('a','b') with its",
                "labels); other databases the driver's DatabaseMetaData.getColumns TYPE_NAME.",
                "",
                "ENUM lists PostgreSQL's enum types with their labels in order, DOMAIN its",
                "domains with their base type, null or not null, default and checks (MariaDB's",
                "enums are inline, in the column type; SQLite has neither). A partitioned table",
                "(PARTITION BY on PostgreSQL and MariaDB) shows its partition key and its",
                "partitions with their bounds, sub-partitions indented below theirs; a",
                "PostgreSQL partition is listed only there, not again as a table of its own.",
                "Triggers (SQLite sqlite_schema, PostgreSQL pg_trigger without the internal",
                "ones and the clones on partitions, MariaDB information_schema.TRIGGERS) are",
                "listed under their table or view (one made on a single PostgreSQL partition",
                "under its partitioned table, naming the partition): name, timing (BEFORE,",
                "AFTER, INSTEAD OF), events, FOR EACH ROW or STATEMENT. The header counts",
                "partitions, enum types, domains and triggers when there are any.",
                "",
                "Indexes lists the indexes besides those behind the primary and unique keys (on",
                "MariaDB from information_schema.STATISTICS, so with those InnoDB made for",
                "foreign keys). Names the database did not store (SQLite keeps none for an",
                "unnamed constraint) show as (unnamed); jOOQ's invented uk_... names for SQLite",
                "unique keys are shown as jOOQ reports them. The Mermaid diagram draws the",
                "tables, with the types above made Mermaid words: [] becomes _array, quotes are",
                "dropped, any other run of characters but letters, digits, _ and - becomes _",
                "(numeric_6_2, text_array).",
                "",
                "Exit status: 0 when it printed a schema; 1 with one line 'error: ...' on",
                "stderr when the database cannot be reached, the URL is malformed, the schema",
                "does not exist, or there is nothing to show: a database with no tables and no",
                "views is reported as an error (usually a wrong name or schema).",
                "",
                "Examples:",
                "  jbang reflect@. sample",
                "  jbang reflect@. sqlite:ch08_chinook --mermaid",
                "  jbang reflect@. jdbc:sqlite:db/sample.sqlite",
                "  jbang reflect@. \"jdbc:postgresql://localhost:5432/shop?user=me\" --schema sales",
                "  jbang reflect@. \"jdbc:mariadb://localhost:3306/shop?user=me\""})
public class Reflect implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATABASE", description = "workbook database name or JDBC URL")
    String database;

    @Option(names = "--mermaid", description = "print a Mermaid erDiagram instead of the text listing")
    boolean mermaid;

    @Option(names = "--schema", paramLabel = "NAME",
            description = "the schema to reflect (PostgreSQL; on MariaDB a database of the server; SQLite has only main)")
    String schema;

    /** Schemas of the server's own, left out of the list an unknown --schema prints. */
    private static final Set<String> MARIADB_SYSTEM = Set.of("information_schema", "mysql", "performance_schema", "sys");

    public static void main(String... args) {
        System.exit(new CommandLine(new Reflect()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            try (Db db = Workbook.openExisting(database)) {
                Reflection r = reflect(db);
                System.out.print(mermaid ? mermaid(r) : listing(db, r));
            }
            return 0;
        } catch (WorkbookException e) {
            return Cli.fail(e);
        } catch (DataAccessException e) {
            return Cli.fail("reading the schema failed: " + Cli.describe(e));
        }
    }

    /** What was found: the tables and views, and the catalog's own answers. */
    record Reflection(List<Table<?>> tables, Catalog catalog) {}

    /** The tables and views of the chosen schema, sorted by name, partitions left out; an error when there are none. */
    Reflection reflect(Db db) {
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
                boolean maria = db.is(Engine.MARIADB);
                List<String> user = names.stream().filter(n -> maria ? !MARIADB_SYSTEM.contains(n)
                        : !n.equals("information_schema") && !n.startsWith("pg_")).toList();
                String its = maria ? "a MariaDB schema is a database; its databases: " : "its schemas: ";
                throw new WorkbookException((target == null ? db + " names no current " + (maria ? "database" : "schema")
                        : "no schema named '" + target + "' in " + db) + " (" + its + String.join(", ", user) + "): pass one with --schema");
            }
            final String wanted = target;
            meta = meta.filterSchemas(s -> s.getName().equals(wanted));
        }
        Catalog catalog = Catalog.read(db, target);
        List<Table<?>> tables = meta.getTables().stream()
                .filter(t -> !catalog.partitionTables.contains(t.getName()))
                .sorted(Comparator.comparing((Table<?> t) -> isView(t)).thenComparing(Table::getName)).toList();
        if (tables.isEmpty()) {
            throw new WorkbookException(db + (target != null ? " (schema " + target + ")" : "")
                    + " has no tables and no views: check the database name or URL" + (target != null ? " and the schema" : ""));
        }
        return new Reflection(tables, catalog);
    }

    private static String currentSchema(Db db) {
        try (Connection c = db.connection()) {
            // MariaDB's driver reports the current database as the catalog, and no schema
            return db.is(Engine.MARIADB) ? c.getCatalog() : c.getSchema();
        } catch (SQLException e) {
            throw new WorkbookException("cannot read the current schema of " + db + ": " + firstLine(e.getMessage()));
        }
    }

    static boolean isView(Table<?> t) {
        return t.getTableType() == TableType.VIEW || t.getTableType() == TableType.MATERIALIZED_VIEW;
    }

    // ----- what the database's own catalog says -----

    /** An enum type and its labels in their order. */
    record EnumType(String name, List<String> labels) {}

    /** A domain: its base type, whether it is not null, its default (or null) and its check constraints. */
    record Domain(String name, String baseType, boolean notNull, String defaultValue, List<String> checks) {}

    /** A partition: its name, its bound as the database writes it, and its own partition key and partitions if it has any. */
    record Partition(String name, String bound, String partitionedBy, List<Partition> partitions) {
        int count() {
            return 1 + partitions.stream().mapToInt(Partition::count).sum();
        }
    }

    /** A trigger: name, timing (BEFORE, AFTER, INSTEAD OF), events (INSERT, UPDATE, DELETE, TRUNCATE), ROW or STATEMENT. */
    record Trigger(String name, String timing, List<String> events, String level, boolean enabled, String partition) {
        Trigger(String name, String timing, List<String> events, String level, boolean enabled) {
            this(name, timing, events, level, enabled, null);
        }

        Trigger onPartition(String partition) {
            return new Trigger(name, timing, events, level, enabled, partition);
        }

        String describe() {
            return name + " " + timing + " " + String.join(" OR ", events) + " FOR EACH " + level
                    + (partition == null ? "" : ", on partition " + partition) + (enabled ? "" : " (disabled)");
        }
    }

    /** An index: its name, its columns in order, whether it is unique. */
    record IndexInfo(String name, List<String> columns, boolean unique) {}

    /** What jOOQ's meta() does not tell, read from each database's own catalog. Keys are table names. */
    static final class Catalog {
        final Map<String, Map<String, String>> types = new LinkedHashMap<>();
        final List<EnumType> enums = new ArrayList<>();
        final List<Domain> domains = new ArrayList<>();
        final Map<String, String> partitionedBy = new LinkedHashMap<>();
        final Map<String, List<Partition>> partitions = new LinkedHashMap<>();
        final Set<String> partitionTables = new LinkedHashSet<>();
        final Map<String, List<Trigger>> triggers = new LinkedHashMap<>();
        /** MariaDB's indexes from the catalog (jOOQ leaves out one named like a foreign key, which InnoDB made for it); null elsewhere. */
        Map<String, List<IndexInfo>> indexes;

        /** The column's type as the database names it; "" when it has none (a SQLite view's expression). */
        String type(Table<?> t, Field<?> f) {
            return types.getOrDefault(t.getName(), Map.of()).getOrDefault(f.getName(), "");
        }

        int partitionCount() {
            return partitions.values().stream().flatMap(List::stream).mapToInt(Partition::count).sum();
        }

        int triggerCount() {
            return triggers.values().stream().mapToInt(List::size).sum();
        }

        static Catalog read(Db db, String schema) {
            Catalog catalog = new Catalog();
            try (Connection c = db.connection()) {
                if (db.engine() == null) {
                    catalog.readJdbc(c, schema);
                } else {
                    switch (db.engine()) {
                        case SQLITE -> catalog.readSqlite(c);
                        case POSTGRESQL -> catalog.readPostgresql(c, schema);
                        case MARIADB -> catalog.readMariadb(c, schema);
                    }
                }
            } catch (SQLException e) {
                throw new WorkbookException("reading the catalog of " + db + " failed: " + firstLine(e.getMessage()));
            }
            return catalog;
        }

        private void type(String table, String column, String type) {
            types.computeIfAbsent(table, k -> new LinkedHashMap<>()).put(column, type);
        }

        private void trigger(String table, Trigger trigger) {
            triggers.computeIfAbsent(table, k -> new ArrayList<>()).add(trigger);
        }

        // SQLite: pragma table_xinfo's declared types, and the CREATE TRIGGER statements in sqlite_schema.
        /** A name in SQLite's SQL: "quoted", `quoted`, [quoted] or bare. */
        private static final String SQLITE_NAME = "(?:\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|\\[[^\\]]*\\]|[^\\s.\"`\\[(]+)";
        private static final Pattern SQLITE_TRIGGER = Pattern.compile(
                "^\\s*CREATE\\s+(?:TEMP(?:ORARY)?\\s+)?TRIGGER\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
                        + "(?:" + SQLITE_NAME + "\\s*\\.\\s*)?" + SQLITE_NAME
                        + "\\s+(BEFORE\\s+|AFTER\\s+|INSTEAD\\s+OF\\s+)?(DELETE|INSERT|UPDATE)\\b",
                Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

        private void readSqlite(Connection c) throws SQLException {
            // a trigger's tbl_name is spelt as its CREATE TRIGGER wrote it, and SQLite ignores the case of names
            Map<String, String> tables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select name from sqlite_schema where type in ('table', 'view')")) {
                while (rs.next()) tables.put(rs.getString(1), rs.getString(1));
            }
            try (PreparedStatement ps = c.prepareStatement("select name, type from pragma_table_xinfo(?)")) {
                for (String table : tables.values()) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        // SQLite ignores case in type names and prints its own (INT, TEXT...) in capitals
                        while (rs.next()) type(table, rs.getString(1), nullToEmpty(rs.getString(2)).toLowerCase(Locale.ROOT));
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select name, tbl_name, sql from sqlite_schema where type = 'trigger' order by tbl_name, name")) {
                while (rs.next()) {
                    Matcher m = SQLITE_TRIGGER.matcher(nullToEmpty(rs.getString(3)));
                    String timing = "BEFORE", event = "(unknown)";   // BEFORE is SQLite's default timing
                    if (m.find()) {
                        if (m.group(1) != null) timing = m.group(1).strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
                        event = m.group(2).toUpperCase(Locale.ROOT);
                    }
                    trigger(tables.getOrDefault(rs.getString(2), rs.getString(2)), new Trigger(rs.getString(1), timing, List.of(event), "ROW", true));
                }
            }
        }

        // PostgreSQL: pg_catalog, with the search path set to the schema so that format_type qualifies only other schemas' types.
        private void readPostgresql(Connection c, String schema) throws SQLException {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("select set_config('search_path', quote_ident(?), true)")) {
                    ps.setString(1, schema);
                    ps.executeQuery().close();
                }
                query(c, """
                        select c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
                        from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid
                        where n.nspname = ? and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped
                        order by c.relname, a.attnum""", schema, rs -> type(rs.getString(1), rs.getString(2), rs.getString(3)));
                Map<String, List<String>> labels = new LinkedHashMap<>();
                query(c, """
                        select t.typname, e.enumlabel
                        from pg_type t join pg_namespace n on n.oid = t.typnamespace left join pg_enum e on e.enumtypid = t.oid
                        where n.nspname = ? and t.typtype = 'e' order by t.typname, e.enumsortorder""", schema, rs -> {
                    List<String> list = labels.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (rs.getString(2) != null) list.add(rs.getString(2));   // an enum may have no labels yet
                });
                labels.forEach((name, list) -> enums.add(new EnumType(name, list)));
                Map<String, List<String>> checks = new LinkedHashMap<>();
                query(c, """
                        select t.typname, quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
                        from pg_constraint k join pg_type t on t.oid = k.contypid join pg_namespace n on n.oid = t.typnamespace
                        where n.nspname = ? and k.contype = 'c' order by t.typname, k.conname""", schema,
                        rs -> checks.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)));
                query(c, """
                        select t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault
                        from pg_type t join pg_namespace n on n.oid = t.typnamespace
                        where n.nspname = ? and t.typtype = 'd' order by t.typname""", schema,
                        rs -> domains.add(new Domain(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                                checks.getOrDefault(rs.getString(1), List.of()))));
                Map<String, String> keys = new LinkedHashMap<>();
                query(c, """
                        select c.relname, pg_get_partkeydef(c.oid) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = ? and c.relkind = 'p' order by c.relname""", schema,
                        rs -> keys.put(rs.getString(1), rs.getString(2)));
                // every partition whose root is a table of this schema, parents before children
                Map<String, List<String[]>> children = new LinkedHashMap<>();
                Map<String, String> parents = new LinkedHashMap<>();
                query(c, """
                        select p.relname, case when cn.nspname = ? then ch.relname else cn.nspname || '.' || ch.relname end,
                          pg_get_expr(ch.relpartbound, ch.oid), ch.relkind = 'p', cn.nspname = ?
                        from pg_inherits i join pg_class ch on ch.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
                          join pg_namespace pn on pn.oid = p.relnamespace join pg_namespace cn on cn.oid = ch.relnamespace
                        where ch.relispartition and pn.nspname = ?
                        order by pg_get_expr(ch.relpartbound, ch.oid) = 'DEFAULT', ch.relname""", List.of(schema, schema, schema), rs -> {
                    children.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new String[] {rs.getString(2), rs.getString(3)});
                    if (rs.getBoolean(5)) {
                        partitionTables.add(rs.getString(2));
                        parents.put(rs.getString(2), rs.getString(1));
                    }
                });
                for (String table : keys.keySet()) {
                    if (partitionTables.contains(table)) continue;
                    partitionedBy.put(table, keys.get(table));
                    partitions.put(table, tree(table, keys, children));
                }
                query(c, """
                        select c.relname, t.tgname, t.tgtype, t.tgenabled <> 'D'
                        from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = ? and not t.tgisinternal and t.tgparentid = 0 order by c.relname, t.tgname""", schema, rs -> {
                    int type = rs.getInt(3);   // pg_trigger.tgtype: the TRIGGER_TYPE_* bits of PostgreSQL's trigger.h
                    String timing = (type & 64) != 0 ? "INSTEAD OF" : (type & 2) != 0 ? "BEFORE" : "AFTER";
                    List<String> events = new ArrayList<>();
                    if ((type & 4) != 0) events.add("INSERT");
                    if ((type & 16) != 0) events.add("UPDATE");
                    if ((type & 8) != 0) events.add("DELETE");
                    if ((type & 32) != 0) events.add("TRUNCATE");
                    Trigger trigger = new Trigger(rs.getString(2), timing, events, (type & 1) != 0 ? "ROW" : "STATEMENT", rs.getBoolean(4));
                    String table = rs.getString(1);
                    if (parents.containsKey(table)) {   // made on one partition only: listed under the table it is a partition of
                        trigger = trigger.onPartition(table);
                        while (parents.containsKey(table)) table = parents.get(table);
                    }
                    trigger(table, trigger);
                });
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }

        private static List<Partition> tree(String table, Map<String, String> keys, Map<String, List<String[]>> children) {
            List<Partition> out = new ArrayList<>();
            for (String[] child : children.getOrDefault(table, List.of())) {
                out.add(new Partition(child[0], child[1], keys.get(child[0]), tree(child[0], keys, children)));
            }
            return out;
        }

        // MariaDB: information_schema (COLUMNS, STATISTICS, PARTITIONS, TRIGGERS) of the database that is the schema.
        private void readMariadb(Connection c, String schema) throws SQLException {
            Map<String, Map<String, IndexInfo>> found = new LinkedHashMap<>();
            query(c, """
                    select table_name, index_name, column_name, non_unique = 0 from information_schema.statistics
                    where table_schema = ? and index_name <> 'PRIMARY' order by table_name, index_name, seq_in_index""", schema,
                    rs -> {
                        String table = rs.getString(1), index = rs.getString(2), column = rs.getString(3);
                        boolean unique = rs.getBoolean(4);
                        found.computeIfAbsent(table, k -> new LinkedHashMap<>())
                                .computeIfAbsent(index, k -> new IndexInfo(k, new ArrayList<>(), unique)).columns().add(column);
                    });
            indexes = new LinkedHashMap<>();
            found.forEach((table, byName) -> indexes.put(table, new ArrayList<>(byName.values())));
            query(c, "select table_name, column_name, column_type from information_schema.columns where table_schema = ?"
                    + " order by table_name, ordinal_position", schema, rs -> type(rs.getString(1), rs.getString(2), rs.getString(3)));
            Map<String, Map<String, List<String[]>>> parts = new LinkedHashMap<>();
            Map<String, String> methods = new LinkedHashMap<>();
            query(c, """
                    select table_name, partition_name, partition_method, partition_expression, partition_description,
                      subpartition_name, subpartition_method, subpartition_expression
                    from information_schema.partitions where table_schema = ? and partition_name is not null
                    order by table_name, partition_ordinal_position, subpartition_ordinal_position""", schema, rs -> {
                String table = rs.getString(1);
                String by = rs.getString(3) + " (" + rs.getString(4) + ")";
                if (rs.getString(7) != null) by += ", subpartitioned by " + rs.getString(7) + " (" + rs.getString(8) + ")";
                partitionedBy.putIfAbsent(table, by);
                methods.putIfAbsent(table, rs.getString(3));
                List<String[]> subs = parts.computeIfAbsent(table, k -> new LinkedHashMap<>())
                        .computeIfAbsent(rs.getString(2), k -> new ArrayList<>());
                subs.add(new String[] {rs.getString(5), rs.getString(6)});
            });
            for (var table : parts.entrySet()) {
                String method = methods.get(table.getKey());
                // information_schema shows a LIST table's DEFAULT partition with a made-up description: SHOW CREATE TABLE says DEFAULT
                Set<String> defaults = method.startsWith("LIST") ? mariadbDefaultPartitions(c, schema, table.getKey()) : Set.of();
                List<Partition> list = new ArrayList<>();
                for (var partition : table.getValue().entrySet()) {
                    String description = partition.getValue().get(0)[0];
                    String bound = defaults.contains(partition.getKey()) ? "DEFAULT"
                            : description == null ? ""
                            : method.startsWith("LIST") ? "VALUES IN (" + description + ")"
                            : method.equals("RANGE") && description.equals("MAXVALUE") ? "VALUES LESS THAN MAXVALUE"
                            : "VALUES LESS THAN (" + description + ")";
                    List<Partition> subs = partition.getValue().stream().filter(s -> s[1] != null)
                            .map(s -> new Partition(s[1], "", null, List.of())).toList();
                    list.add(new Partition(partition.getKey(), bound, null, subs));
                }
                partitions.put(table.getKey(), list);
            }
            Map<String, String[]> seen = new LinkedHashMap<>();
            query(c, """
                    select event_object_table, trigger_name, action_timing, event_manipulation, action_orientation
                    from information_schema.triggers where trigger_schema = ?
                    order by event_object_table, trigger_name""", schema, rs -> {
                // one row per event where a trigger has several
                String[] row = seen.get(rs.getString(2));
                if (row == null) {
                    seen.put(rs.getString(2), new String[] {rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5)});
                } else {
                    row[2] += "," + rs.getString(4);
                }
            });
            seen.forEach((name, row) -> trigger(row[0], new Trigger(name, row[1], List.of(row[2].split("\\s*,\\s*")), row[3], true)));
        }

        private static final Pattern MARIADB_DEFAULT = Pattern.compile("PARTITION `((?:[^`]|``)+)` DEFAULT");

        private static Set<String> mariadbDefaultPartitions(Connection c, String schema, String table) throws SQLException {
            Set<String> names = new LinkedHashSet<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("show create table " + backtick(schema) + "." + backtick(table))) {
                if (rs.next()) {
                    Matcher m = MARIADB_DEFAULT.matcher(rs.getString(2));
                    while (m.find()) names.add(m.group(1).replace("``", "`"));
                }
            }
            return names;
        }

        private static String backtick(String name) {
            return "`" + name.replace("`", "``") + "`";
        }

        // Any other database: the driver's TYPE_NAME.
        private void readJdbc(Connection c, String schema) throws SQLException {
            DatabaseMetaData md = c.getMetaData();
            try (ResultSet rs = md.getColumns(null, schema, "%", "%")) {
                while (rs.next()) type(rs.getString("TABLE_NAME"), rs.getString("COLUMN_NAME"), nullToEmpty(rs.getString("TYPE_NAME")));
            }
        }

        interface Row {
            void accept(ResultSet rs) throws SQLException;
        }

        private static void query(Connection c, String sql, String parameter, Row row) throws SQLException {
            query(c, sql, List.of(parameter), row);
        }

        private static void query(Connection c, String sql, List<String> parameters, Row row) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) ps.setString(i + 1, parameters.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) row.accept(rs);
                }
            }
        }
    }

    // ----- the text listing -----

    static String listing(Db db, Reflection r) {
        Catalog catalog = r.catalog();
        List<Table<?>> tables = r.tables();
        long views = tables.stream().filter(Reflect::isView).count();
        StringBuilder out = new StringBuilder();
        out.append(db).append(": ").append(count(tables.size() - views, "table")).append(", ").append(count(views, "view"));
        if (catalog.partitionCount() > 0) out.append(", ").append(count(catalog.partitionCount(), "partition"));
        if (!catalog.enums.isEmpty()) out.append(", ").append(count(catalog.enums.size(), "enum type"));
        if (!catalog.domains.isEmpty()) out.append(", ").append(count(catalog.domains.size(), "domain"));
        if (catalog.triggerCount() > 0) out.append(", ").append(count(catalog.triggerCount(), "trigger"));
        out.append('\n');
        for (EnumType e : catalog.enums) {
            out.append("\nENUM ").append(e.name()).append('\n');
            out.append("  labels: ").append(e.labels().isEmpty() ? "(none)"
                    : e.labels().stream().map(Reflect::literal).collect(Collectors.joining(", "))).append('\n');
        }
        for (Domain d : catalog.domains) {
            out.append("\nDOMAIN ").append(d.name()).append('\n');
            out.append("  base type: ").append(d.baseType()).append(d.notNull() ? ", not null" : ", null").append('\n');
            if (d.defaultValue() != null) out.append("  default: ").append(d.defaultValue()).append('\n');
            for (String check : d.checks()) out.append("  check: ").append(check).append('\n');
        }
        for (Table<?> t : tables) {
            out.append('\n').append(isView(t) ? "VIEW " : "TABLE ").append(t.getName()).append('\n');
            int nameWidth = 0, typeWidth = 0;
            for (Field<?> f : t.fields()) {
                nameWidth = Math.max(nameWidth, f.getName().length());
                typeWidth = Math.max(typeWidth, shown(catalog.type(t, f)).length());
            }
            out.append("  columns:\n");
            for (Field<?> f : t.fields()) {
                out.append(String.format("    %-" + nameWidth + "s  %-" + typeWidth + "s  %s%n", f.getName(),
                        shown(catalog.type(t, f)), f.getDataType().nullable() ? "null" : "not null"));
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
            for (IndexInfo ix : indexes(t, catalog)) {
                out.append("  index: ").append(named(ix.name())).append(" (").append(String.join(", ", ix.columns())).append(')')
                        .append(ix.unique() ? " unique" : "").append('\n');
            }
            String by = catalog.partitionedBy.get(t.getName());
            if (by != null) out.append("  partitioned by: ").append(by).append('\n');
            partitions(out, catalog.partitions.getOrDefault(t.getName(), List.of()), "  ");
            for (Trigger trigger : catalog.triggers.getOrDefault(t.getName(), List.of())) {
                out.append("  trigger: ").append(trigger.describe()).append('\n');
            }
        }
        return out.toString();
    }

    /** The indexes besides those behind the primary and unique keys: jOOQ's, or on MariaDB the catalog's. */
    private static List<IndexInfo> indexes(Table<?> t, Catalog catalog) {
        if (catalog.indexes == null) {
            return t.getIndexes().stream().map(ix -> new IndexInfo(ix.getName(),
                    ix.getFields().stream().map(SortField::getName).toList(), ix.getUnique())).toList();
        }
        Set<String> keys = t.getUniqueKeys().stream().map(UniqueKey::getName).collect(Collectors.toSet());
        return catalog.indexes.getOrDefault(t.getName(), List.of()).stream().filter(ix -> !keys.contains(ix.name())).toList();
    }

    private static void partitions(StringBuilder out, List<Partition> partitions, String indent) {
        for (Partition p : partitions) {
            out.append(indent).append("partition: ").append(p.name()).append(p.bound().isEmpty() ? "" : " " + p.bound())
                    .append(p.partitionedBy() == null ? "" : ", partitioned by " + p.partitionedBy()).append('\n');
            partitions(out, p.partitions(), indent + "  ");
        }
    }

    // ----- the Mermaid diagram -----

    static String mermaid(Reflection r) {
        StringBuilder out = new StringBuilder("erDiagram\n");
        List<Table<?>> real = r.tables().stream().filter(t -> !isView(t)).toList();
        for (Table<?> t : real) {
            Set<String> pk = t.getPrimaryKey() == null ? Set.of() : names(t.getPrimaryKey().getFields());
            Set<String> fk = new LinkedHashSet<>();
            t.getReferences().forEach(ref -> fk.addAll(names(ref.getFields())));
            Set<String> uk = new LinkedHashSet<>();
            t.getUniqueKeys().forEach(u -> uk.addAll(names(u.getFields())));
            out.append("    ").append(entity(t.getName())).append(" {\n");
            for (Field<?> f : t.fields()) {
                List<String> keys = new ArrayList<>();
                if (pk.contains(f.getName())) keys.add("PK");
                if (fk.contains(f.getName())) keys.add("FK");
                if (uk.contains(f.getName())) keys.add("UK");
                out.append("        ").append(mermaidType(r.catalog().type(t, f))).append(' ').append(entity(f.getName()));
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

    /** A type as a Mermaid word: text[] is text_array, numeric(6,2) numeric_6_2, enum('a','b') enum_a_b. */
    static String mermaidType(String type) {
        String word = type.replace("[]", "_array").replaceAll("[\"'`]", "").replaceAll("[^A-Za-z0-9_-]+", "_")
                .replaceAll("^_+|_+$", "");
        if (word.isEmpty()) return "unknown";
        return Character.isLetter(word.charAt(0)) ? word : "t_" + word;
    }

    private static List<ForeignKey<?, ?>> sortedReferences(Table<?> t) {
        List<ForeignKey<?, ?>> refs = new ArrayList<>(t.getReferences());
        refs.sort(Comparator.comparing((ForeignKey<?, ?> k) -> columns(k.getFields())));
        return refs;
    }

    private static String shown(String type) {
        return type == null || type.isBlank() ? "(no type)" : type;
    }

    private static String literal(String label) {
        return "'" + label.replace("'", "''") + "'";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
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
