package workbook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jooq.DSLContext;
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
        try {
            db.dsl().transaction(tx -> {
                DSLContext ctx = tx.dsl();
                createTables(ctx);
                for (String table : TABLES) loadCsv(ctx, table);
            });
        } catch (WorkbookException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() instanceof WorkbookException ? e.getCause() : e;
            if (cause instanceof WorkbookException) throw (WorkbookException) cause;
            throw new WorkbookException("Loading the sample data failed (" + Errors.oneLine(e.getMessage())
                    + "): nothing was written; fresh(...) gives an empty database to load it into", e);
        }
    }

    private static String csvName(String table) {
        return table + "s.csv";
    }

    static void createTables(DSLContext ctx) {
        ctx.createTable("author")
                .column("id", SQLDataType.INTEGER.notNull())
                .column("name", SQLDataType.VARCHAR(100).notNull())
                .column("born", SQLDataType.INTEGER)
                .column("country", SQLDataType.VARCHAR(60))
                .primaryKey("id")
                .execute();
        ctx.createTable("book")
                .column("id", SQLDataType.INTEGER.notNull())
                .column("title", SQLDataType.VARCHAR(200).notNull())
                .column("author_id", SQLDataType.INTEGER.notNull())
                .column("published", SQLDataType.INTEGER)
                .column("pages", SQLDataType.INTEGER)
                .column("price", SQLDataType.NUMERIC(6, 2).notNull())
                .column("in_print", SQLDataType.BOOLEAN.notNull())
                .primaryKey("id")
                .constraints(DSL.foreignKey("author_id").references("author", "id"))
                .execute();
        ctx.createTable("member")
                .column("id", SQLDataType.INTEGER.notNull())
                .column("name", SQLDataType.VARCHAR(100).notNull())
                .column("email", SQLDataType.VARCHAR(200).notNull())
                .column("joined", SQLDataType.LOCALDATE.notNull())
                .primaryKey("id")
                .unique("email")
                .execute();
        ctx.createTable("loan")
                .column("id", SQLDataType.INTEGER.notNull())
                .column("book_id", SQLDataType.INTEGER.notNull())
                .column("member_id", SQLDataType.INTEGER.notNull())
                .column("loaned_on", SQLDataType.LOCALDATE.notNull())
                .column("returned_on", SQLDataType.LOCALDATE)
                .primaryKey("id")
                .constraints(
                        DSL.foreignKey("book_id").references("book", "id"),
                        DSL.foreignKey("member_id").references("member", "id"))
                .execute();
    }

    private static final java.util.Map<String, List<Field<?>>> COLUMNS = java.util.Map.of(
            "author", List.of(
                    DSL.field(DSL.name("id"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("name"), SQLDataType.VARCHAR),
                    DSL.field(DSL.name("born"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("country"), SQLDataType.VARCHAR)),
            "book", List.of(
                    DSL.field(DSL.name("id"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("title"), SQLDataType.VARCHAR),
                    DSL.field(DSL.name("author_id"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("published"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("pages"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("price"), SQLDataType.NUMERIC(6, 2)),
                    DSL.field(DSL.name("in_print"), SQLDataType.BOOLEAN)),
            "member", List.of(
                    DSL.field(DSL.name("id"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("name"), SQLDataType.VARCHAR),
                    DSL.field(DSL.name("email"), SQLDataType.VARCHAR),
                    DSL.field(DSL.name("joined"), SQLDataType.LOCALDATE)),
            "loan", List.of(
                    DSL.field(DSL.name("id"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("book_id"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("member_id"), SQLDataType.INTEGER),
                    DSL.field(DSL.name("loaned_on"), SQLDataType.LOCALDATE),
                    DSL.field(DSL.name("returned_on"), SQLDataType.LOCALDATE)));

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
