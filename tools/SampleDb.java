//SOURCES ../workbook/Workbook.java
//DESCRIPTION Creates the sample bookshop database (author, book, member, loan) and loads data/*.csv

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import workbook.Cli;
import workbook.Db;
import workbook.SampleData;
import workbook.Workbook;
import workbook.WorkbookException;

@Command(name = "sample-db", mixinStandardHelpOptions = true,
        description = {"Creates the sample database afresh (tables author, book, member, loan) and loads"
                + " data/*.csv into it: every value is checked first, and the database is built beside the old one,"
                + " which it replaces only when the load has succeeded: on any error the old one stays as it was."},
        footer = {"", "DATABASE is a workbook name (sample, sqlite:sample, postgresql:sample, mariadb:sample;"
                + " the servers need WORKBOOK_PG_URL or WORKBOOK_MARIADB_URL). An existing database of that name"
                + " is emptied first.", "",
                "Examples:", "  jbang sample-db@.                 db/sample.sqlite",
                "  jbang sample-db@. sqlite:shop     db/shop.sqlite",
                "  WORKBOOK_PG_URL=jdbc:postgresql://localhost:5432/workbook?user=me \\", "      jbang sample-db@. postgresql:sample"})
public class SampleDb implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "sample", paramLabel = "DATABASE",
            description = "which database to create (default: ${DEFAULT-VALUE})")
    String database;

    public static void main(String... args) {
        System.exit(new CommandLine(new SampleDb()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            SampleData.read();   // every file and value checked before the database is emptied
        } catch (WorkbookException e) {
            return Cli.fail(e);
        }
        try (Db db = Workbook.rebuilt(database, Db::loadSample)) {   // the old database stays until the load succeeds
            System.out.println("Created " + db + " with the sample data:");
            for (String table : SampleData.TABLES) {
                int rows = db.dsl().fetchCount(org.jooq.impl.DSL.table(org.jooq.impl.DSL.name(table)));
                System.out.printf("  %-7s %3d rows%n", table, rows);
            }
            return 0;
        } catch (WorkbookException e) {
            return Cli.fail(e);
        }
    }
}
