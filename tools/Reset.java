//SOURCES ../workbook/Workbook.java
//DESCRIPTION Empties a chapter's database (deletes db/NAME.sqlite, or drops and recreates the PostgreSQL schema or MariaDB database)

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import workbook.Cli;
import workbook.Db;
import workbook.Workbook;
import workbook.WorkbookException;

@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Empties workbook databases, so that a chapter starts again from nothing.",
        footer = {"", "Examples:", "  jbang reset@. ch03                 empties db/ch03.sqlite",
                "  jbang reset@. ch01 ch02 ch03",
                "  WORKBOOK_PG_URL=... jbang reset@. postgresql:ch03     (schema ch03 again)",
                "  WORKBOOK_MARIADB_URL=... jbang reset@. mariadb:ch03   (database ch03 again)"})
public class Reset implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DATABASE", description = "workbook database names (ch03, sqlite:ch03, postgresql:ch03, mariadb:ch03)")
    List<String> databases;

    public static void main(String... args) {
        System.exit(new CommandLine(new Reset()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            for (String name : databases) Workbook.checkFresh(name);   // all of them before any is emptied
            for (String name : databases) {
                try (Db db = Workbook.fresh(name)) {
                    System.out.println("emptied " + db);
                }
            }
            return 0;
        } catch (WorkbookException e) {
            return Cli.fail(e);
        }
    }
}
