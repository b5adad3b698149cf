package workbook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jooq.Constraint;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Loader;
import org.jooq.LoaderError;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The sample bookshop-and-library schema (author, book, member, loan) and its loader.
 * The columns are documented in data/README.md. Everything happens in one transaction:
 * a bad row leaves the database as it was.
 */
public final class SampleData {
    private SampleData() {}

    /** The tables in the order they are created and loaded (parents before children). */
    public static final List<String> TABLES = List.of("author", "book", "member", "loan");

    static void load(Db db) {
        // Check every file first, so that a missing one changes nothing.
        for (String table : TABLES) Workbook.dataFile(csvName(table));
        List<String> created = new java.util.ArrayList<>();
        try {
            db.dsl().transaction(tx -> {
                DSLContext ctx = tx.dsl();
                createTables(ctx, created);
                for (String table : TABLES) loadCsv(ctx, table);
            });
        } catch (RuntimeException e) {
            // MariaDB (like MySQL) commits each CREATE TABLE at once: the rollback cannot take the
            // tables back, so the ones this load created are dropped here, children first.
            if (db.engine() != null && !db.engine().transactionalDdl()) {
                for (int i = created.size() - 1; i >= 0; i--) db.dsl().dropTableIfExists(DSL.name(created.get(i))).execute();
            }
            if (e instanceof WorkbookException) throw e;
            Throwable cause = e.getCause() instanceof WorkbookException ? e.getCause() : e;
            if (cause instanceof WorkbookException) throw (WorkbookException) cause;
            throw new WorkbookException("Loading the sample data failed (" + Errors.oneLine(e.getMessage())
                    + "): nothing was written; fresh(...) gives an empty database to load it into", e);
        }
    }

    private static String csvName(String table) {
        return table + "s.csv";
    }

    /** The columns of each table, in CSV order: the one definition behind both the DDL and the loader. */
    private static final Map<String, List<Field<?>>> COLUMNS = Map.of(
            "author", List.of(
                    column("id", SQLDataType.INTEGER.notNull()),
                    column("name", SQLDataType.VARCHAR(100).notNull()),
                    column("born", SQLDataType.INTEGER),
                    column("country", SQLDataType.VARCHAR(60))),
            "book", List.of(
                    column("id", SQLDataType.INTEGER.notNull()),
                    column("title", SQLDataType.VARCHAR(200).notNull()),
                    column("author_id", SQLDataType.INTEGER.notNull()),
                    column("published", SQLDataType.INTEGER),
                    column("pages", SQLDataType.INTEGER),
                    column("price", SQLDataType.NUMERIC(6, 2).notNull()),
                    column("in_print", SQLDataType.BOOLEAN.notNull())),
            "member", List.of(
                    column("id", SQLDataType.INTEGER.notNull()),
                    column("name", SQLDataType.VARCHAR(100).notNull()),
                    column("email", SQLDataType.VARCHAR(200).notNull()),
                    column("joined", SQLDataType.LOCALDATE.notNull())),
            "loan", List.of(
                    column("id", SQLDataType.INTEGER.notNull()),
                    column("book_id", SQLDataType.INTEGER.notNull()),
                    column("member_id", SQLDataType.INTEGER.notNull()),
                    column("loaned_on", SQLDataType.LOCALDATE.notNull()),
                    column("returned_on", SQLDataType.LOCALDATE)));

    /** Keys besides each table's primary key {@code id}. */
    private static final Map<String, List<Constraint>> CONSTRAINTS = Map.of(
            "author", List.of(),
            "book", List.of(DSL.foreignKey("author_id").references("author", "id")),
            "member", List.of(DSL.unique("email")),
            "loan", List.of(
                    DSL.foreignKey("book_id").references("book", "id"),
                    DSL.foreignKey("member_id").references("member", "id")));

    private static Field<?> column(String name, DataType<?> type) {
        return DSL.field(DSL.name(name), type);
    }

    static void createTables(DSLContext ctx, List<String> created) {
        for (String table : TABLES) {
            ctx.createTable(table)
                    .columns(COLUMNS.get(table))
                    .primaryKey("id")
                    .constraints(CONSTRAINTS.get(table))
                    .execute();
            created.add(table);
        }
    }

    private static void loadCsv(DSLContext ctx, String table) {
        String file = csvName(table);
        Path path = Workbook.dataFile(file);
        Table<?> target = DSL.table(DSL.name(table));
        Loader<?> loader;
        try {
            loader = ctx.loadInto(target)
                    .onErrorAbort()
                    .loadCSV(Files.newBufferedReader(path, StandardCharsets.UTF_8))
                    .fields(COLUMNS.get(table))
                    .nullString("")
                    .execute();
        } catch (java.io.IOException e) {
            throw new WorkbookException("Cannot read data/" + file + ": " + e.getMessage(), e);
        }
        List<LoaderError> errors = loader.errors();
        if (!errors.isEmpty()) {
            LoaderError first = errors.get(0);
            // +2: the loader counts from 0 and skips the header line.
            throw new WorkbookException("data/" + file + " line " + (first.rowIndex() + 2) + ": "
                    + Errors.oneLine(first.exception().getMessage())
                    + ": fix the file; nothing was written");
        }
    }
}
