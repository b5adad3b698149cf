package workbook;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
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
 * The columns are documented in data/README.md.
 *
 * <p>Nothing is written before everything is checked: {@link #read()} reads each CSV file (with
 * Jackson's CSV parser) and converts every value strictly by its column's type (a date that does
 * not exist, a number with letters in it, a price with more decimals than numeric(6,2) keeps, a
 * row with a field too many, a duplicate id, a reference to a row that is not there are each an
 * error naming file, line, column and value), so a bad file leaves the database as it was. Then
 * the tables are created and filled in one transaction.
 */
public final class SampleData {
    private SampleData() {}

    /** The tables in the order they are created and loaded (parents before children). */
    public static final List<String> TABLES = List.of("author", "book", "member", "loan");

    /** A foreign key of the sample: {@code column} references {@code table.id}. */
    private record Reference(String column, String table) {}

    /** The columns of each table, in CSV order: the one definition behind the DDL, the checks and the loader. */
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

    private static final Map<String, List<Reference>> REFERENCES = Map.of(
            "author", List.of(),
            "book", List.of(new Reference("author_id", "author")),
            "member", List.of(),
            "loan", List.of(new Reference("book_id", "book"), new Reference("member_id", "member")));

    /** Unique columns besides each table's primary key {@code id}. */
    private static final Map<String, List<String>> UNIQUE = Map.of(
            "author", List.of(), "book", List.of(), "member", List.of("email"), "loan", List.of());

    /** The empty files already warned about (a load reads the files once to check them, then again). */
    private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static Field<?> column(String name, DataType<?> type) {
        return DSL.field(DSL.name(name), type);
    }

    static void load(Db db) {
        Map<String, List<Object[]>> rows = read();   // everything checked before anything is written
        List<String> created = new ArrayList<>();
        try {
            db.dsl().transaction(tx -> {
                DSLContext ctx = tx.dsl();
                createTables(ctx, created);
                for (String table : TABLES) insert(ctx, table, rows.get(table));
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
            throw new WorkbookException("Loading the sample data into " + db + " failed (" + Errors.oneLine(e.getMessage())
                    + "): nothing was written", e);
        }
    }

    /**
     * Reads and checks every file of the sample, writing nothing: the rows of each table, each
     * value converted to its column's Java type. A file with no rows is allowed, with a warning
     * on stderr.
     */
    public static Map<String, List<Object[]>> read() {
        for (String table : TABLES) Workbook.dataFile(csvName(table));   // a missing file first, whichever it is
        Map<String, List<Object[]>> rows = new LinkedHashMap<>();
        Map<String, Set<Object>> ids = new HashMap<>();
        for (String table : TABLES) {
            List<Object[]> parsed = readTable(table, ids);
            if (parsed.isEmpty() && WARNED.add(table)) {
                System.err.println("warning: data/" + csvName(table) + " has no rows: the sample's " + table + " table stays empty");
            }
            rows.put(table, parsed);
        }
        return rows;
    }

    private static String csvName(String table) {
        return table + "s.csv";
    }

    private static List<Object[]> readTable(String table, Map<String, Set<Object>> ids) {
        String file = "data/" + csvName(table);
        List<Field<?>> columns = COLUMNS.get(table);
        String text = decode(Workbook.dataFile(csvName(table)), file);
        List<Object[]> out = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        Map<String, Set<Object>> unique = new HashMap<>();
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(text)) {
            if (!it.hasNextValue()) return out;      // a 0-byte file: no header, no rows
            String[] header = it.nextValue();
            List<String> expected = columns.stream().map(Field::getName).toList();
            if (!List.of(header).equals(expected)) {
                throw new WorkbookException(file + " line 1: the header is " + String.join(",", header)
                        + ", but the table " + table + " has the columns " + String.join(",", expected) + ": fix the file");
            }
            while (it.hasNextValue()) {
                int line = it.getCurrentLocation().getLineNr();
                String[] fields = it.nextValue();
                if (fields.length == 1 && fields[0].isEmpty()) continue;   // a blank line
                if (fields.length != columns.size()) {
                    throw new WorkbookException(file + " line " + line + ": " + fields.length + " fields, but the header has "
                            + columns.size() + " (" + String.join(",", expected) + "): fix the file");
                }
                Object[] row = new Object[fields.length];
                for (int i = 0; i < fields.length; i++) row[i] = convert(fields[i], columns.get(i), file, line);
                if (!seen.add(row[0])) throw new WorkbookException(file + " line " + line + ", column id: " + row[0]
                        + " is the id of an earlier row too: ids must be unique");
                for (String name : UNIQUE.get(table)) {
                    Object value = row[expected.indexOf(name)];
                    if (!unique.computeIfAbsent(name, k -> new HashSet<>()).add(value)) {
                        throw new WorkbookException(file + " line " + line + ", column " + name + ": '" + value
                                + "' is in an earlier row too: it must be unique");
                    }
                }
                for (Reference ref : REFERENCES.get(table)) {
                    Object value = row[expected.indexOf(ref.column())];
                    if (!ids.get(ref.table()).contains(value)) {
                        throw new WorkbookException(file + " line " + line + ", column " + ref.column() + ": " + value
                                + " is not the id of a row in data/" + csvName(ref.table()));
                    }
                }
                out.add(row);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof WorkbookException w) throw w;
            throw new WorkbookException(file + " is not valid CSV (" + Errors.oneLine(e.getMessage()) + "): fix the file", e);
        }
        ids.put(table, seen);
        return out;
    }

    /** The file as UTF-8 text; bytes that are not UTF-8 are an error naming the file. */
    private static String decode(Path path, String file) {
        try {
            byte[] bytes = Files.readAllBytes(path);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WorkbookException(file + " is not UTF-8 text: save it as UTF-8");
        } catch (IOException e) {
            throw new WorkbookException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One CSV field as its column's Java type; an empty field is NULL, allowed where the column is nullable. */
    private static Object convert(String value, Field<?> column, String file, int line) {
        DataType<?> type = column.getDataType();
        String where = file + " line " + line + ", column " + column.getName() + ": ";
        if (value.isEmpty()) {
            if (!type.nullable()) throw new WorkbookException(where + "empty, but the column is not null: give it a value");
            return null;
        }
        Class<?> java = type.getType();
        try {
            if (java == Integer.class) return Integer.valueOf(value);
            if (java == Boolean.class) {
                if (value.equals("true") || value.equals("false")) return Boolean.valueOf(value);
                throw new WorkbookException(where + "'" + value + "' is not true or false");
            }
            if (java == LocalDate.class) return LocalDate.parse(value);    // ISO dates, strictly: 2023-06-31 is refused
            if (java == BigDecimal.class) {
                BigDecimal number = new BigDecimal(value);
                if (number.scale() > type.scale() || number.precision() - number.scale() > type.precision() - type.scale()) {
                    throw new WorkbookException(where + "'" + value + "' does not fit numeric(" + type.precision() + ","
                            + type.scale() + ") (at most " + type.scale() + " decimals): round it in the file");
                }
                return number;
            }
            if (java == String.class) {
                if (type.hasLength() && value.length() > type.length()) {
                    throw new WorkbookException(where + value.length() + " characters, more than varchar(" + type.length()
                            + ") holds: shorten it");
                }
                return value;
            }
        } catch (NumberFormatException e) {
            throw new WorkbookException(where + "'" + shorten(value) + "' is not " + (java == Integer.class ? "a whole number" : "a number"));
        } catch (DateTimeParseException e) {
            throw new WorkbookException(where + "'" + shorten(value) + "' is not a date (YYYY-MM-DD, a day that exists)");
        }
        throw new IllegalStateException("no conversion for " + java);
    }

    private static String shorten(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }

    static void createTables(DSLContext ctx, List<String> created) {
        for (String table : TABLES) {
            List<Constraint> keys = new ArrayList<>();
            for (Reference ref : REFERENCES.get(table)) keys.add(DSL.foreignKey(ref.column()).references(ref.table(), "id"));
            for (String name : UNIQUE.get(table)) keys.add(DSL.unique(name));
            ctx.createTable(table)
                    .columns(COLUMNS.get(table))
                    .primaryKey("id")
                    .constraints(keys)
                    .execute();
            created.add(table);
        }
    }

    private static void insert(DSLContext ctx, String table, List<Object[]> rows) {
        if (rows.isEmpty()) return;
        Table<?> target = DSL.table(DSL.name(table));
        Loader<?> loader;
        try {
            loader = ctx.loadInto(target).onErrorAbort().loadArrays(rows.iterator()).fields(COLUMNS.get(table)).execute();
        } catch (IOException e) {
            throw new WorkbookException("Loading " + table + " failed: " + e.getMessage(), e);
        }
        List<LoaderError> errors = loader.errors();
        if (!errors.isEmpty()) {
            LoaderError first = errors.get(0);
            // +2: the loader counts rows from 0, and the file's first line is its header.
            throw new WorkbookException("data/" + csvName(table) + " line " + (first.rowIndex() + 2) + ": "
                    + Errors.oneLine(first.exception().getMessage()) + ": fix the file; nothing was written");
        }
    }
}
