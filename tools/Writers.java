//SOURCES ../workbook/Workbook.java
//DESCRIPTION Concurrent writers on one database: refused transactions and lost updates, counted per workload

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import workbook.Cli;
import workbook.Db;
import workbook.Engine;
import workbook.Workbook;
import workbook.WorkbookException;

@Command(name = "writers", mixinStandardHelpOptions = true,
        description = {"Runs THREADS threads that each repeat one short transaction TRANSACTIONS times on one"
                + " database, through the helper's pool, for four workloads (insert a row; read a counter and"
                + " write it back plus one; the same with the read locked; update n = n + 1), and prints a"
                + " table: transactions committed, refused by the database (SQLITE_BUSY, deadlock, lock"
                + " timeout, serialization failure), and updates lost (committed, then overwritten by a"
                + " stale value). On SQLite it runs twice: with sqlite-jdbc's defaults (rollback journal,"
                + " deferred transactions, busy_timeout=5000) and with the workbook's (WAL, transactions"
                + " begun IMMEDIATE). Chapter 10 explains the figures.",
                "The database is emptied first (the tables writers_counter and writers_log are its own)."},
        footer = {"", "Examples:", "  jbang writers@.                         sqlite:writers, 8 threads x 50",
                "  jbang writers@. --threads 4 --transactions 200",
                "  WORKBOOK_PG_URL=... jbang writers@. postgresql:writers"})
public class Writers implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DATABASE", defaultValue = "sqlite:writers",
            description = "a workbook database name, emptied first (default: ${DEFAULT-VALUE})")
    String database;

    @Option(names = "--threads", defaultValue = "8", description = "concurrent writers (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--transactions", defaultValue = "50", description = "transactions per thread and workload (default: ${DEFAULT-VALUE})")
    int transactions;

    @Option(names = "--seconds", defaultValue = "60",
            description = "a workload starts no new transaction after this many seconds (default: ${DEFAULT-VALUE})")
    int seconds;

    /**
     * writers@. empties its database: refuses one that holds tables of someone else's (a
     * {@code writers@. sqlite:sample} would otherwise delete the sample), before anything changes.
     */
    static void refuseOthersTables(String database) {
        Db existing;
        try {
            existing = Workbook.openExisting(database);
        } catch (WorkbookException e) {
            return;                                        // no such database yet: fresh() makes it
        }
        try (existing; java.sql.Connection c = existing.connection();
             java.sql.ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            java.util.List<String> others = new java.util.ArrayList<>();
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT);
                if (!name.startsWith("writers_")) others.add(name);
            }
            if (!others.isEmpty()) {
                java.util.Collections.sort(others);
                throw new WorkbookException(database + " has tables writers@. did not create (" + String.join(", ", others.subList(0, Math.min(4, others.size())))
                        + (others.size() > 4 ? ", ..." : "") + ") and writers@. empties its database: give a name of its own, such as sqlite:writers");
            }
        } catch (java.sql.SQLException e) {
            throw new WorkbookException("cannot list the tables of " + database + ": " + e.getMessage(), e);
        }
    }

    public static void main(String... args) {
        System.exit(new CommandLine(new Writers()).execute(args));
    }

    @Override
    public Integer call() {
        try {
            if (threads < 1 || threads > 64) throw new WorkbookException("--threads must be 1 to 64, not " + threads);
            if (transactions < 1 || transactions > 100_000) throw new WorkbookException("--transactions must be 1 to 100000, not " + transactions);
            if (seconds < 1 || seconds > 600) throw new WorkbookException("--seconds must be 1 to 600, not " + seconds);
            if (database.startsWith("jdbc:")) {
                throw new WorkbookException("writers@. empties its database: give a workbook name such as sqlite:writers, not a URL");
            }
            Workbook.checkFresh(database);
            refuseOthersTables(database);
            System.out.printf("%d threads x %d transactions per workload%n", threads, transactions);
            try (Db db = Workbook.fresh(database)) {
                if (db.is(Engine.SQLITE)) {
                    System.out.println();
                    System.out.println("SQLite with sqlite-jdbc's defaults (rollback journal, deferred transactions, busy_timeout=5000):");
                    System.out.print(workbook.Writers.table(workbook.Writers.runWithDriverDefaults(db, threads, transactions, seconds)));
                    System.out.println();
                    System.out.println("SQLite with the workbook's defaults (" + Db.SQLITE_OPTIONS.replace('&', ' ') + "):");
                } else {
                    System.out.println();
                    System.out.println(db.engine().displayName() + " with the workbook's defaults (isolation level " + workbook.Writers.isolation(db) + "):");
                }
                System.out.print(workbook.Writers.table(workbook.Writers.run(db, threads, transactions, seconds)));
            }
            return 0;
        } catch (WorkbookException e) {
            return Cli.fail(e);
        }
    }
}
