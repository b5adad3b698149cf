//SOURCES ../workbook/Workbook.java
//DESCRIPTION Runs SQL (a statement, or a file of statements) against a database and prints the results as tables

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.ParserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import workbook.Cli;
import workbook.Db;
import workbook.Workbook;
import workbook.WorkbookException;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs SQL against a database and prints each result as a table (or its update count).",
                "A file may hold several statements; they run in one transaction, so a failing",
                "statement leaves the database as it was."},
        footer = {"", "DATABASE is a workbook name (sample, sqlite:ch03, postgresql:ch03, mariadb:ch03) or any JDBC URL.", "",
                "Examples:", "  jbang sql@. sample \"select title, price from book order by price desc limit 3\"",
                "  jbang sql@. jdbc:sqlite:db/sample.sqlite -f queries.sql",
                "  jbang sql@. \"jdbc:postgresql://localhost:5432/shop?user=me\" \"select version()\""})
public class Sql implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATABASE", description = "workbook database name or JDBC URL")
    String database;

    @Parameters(index = "1", arity = "0..1", paramLabel = "STATEMENT", description = "one SQL statement")
    String statement;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "a file of statements separated by ;")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String... args) {
        System.exit(new CommandLine(new Sql()).execute(args));
    }

    @Override
    public Integer call() {
        if ((statement == null) == (file == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give either a STATEMENT or -f FILE (one of the two)");
        }
        try (Db db = Workbook.open(database)) {
            List<String> statements = new ArrayList<>();
            if (file != null) {
                statements.addAll(split(db.dsl(), read(file)));
            } else {
                statements.add(statement);
            }
            db.dsl().connection(connection -> {
                connection.setAutoCommit(false);
                try {
                    for (String sql : statements) runOne(db.dsl(), connection, sql);
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            });
            return 0;
        } catch (WorkbookException e) {
            return Cli.fail(e);
        } catch (DataAccessException e) {
            return Cli.fail(Cli.describe(e) + (file != null ? " (nothing was changed)" : ""));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new WorkbookException("Cannot read " + file + ": check the file name");
        }
    }

    /** Splits a script into statements with jOOQ's SQL parser, which knows quotes and comments. */
    private static List<String> split(DSLContext ctx, String script) {
        try {
            List<String> out = new ArrayList<>();
            for (Query query : ctx.parser().parse(script).queries()) out.add(ctx.render(query));
            return out;
        } catch (ParserException e) {
            throw new WorkbookException("jOOQ cannot parse the file at line " + e.line() + ", column " + e.position()
                    + ": " + e.getMessage().split("\\R")[0]);
        }
    }

    private static void runOne(DSLContext ctx, Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (statement.execute(sql)) {
                try (ResultSet rs = statement.getResultSet()) {
                    System.out.print(ctx.fetch(rs).format(Integer.MAX_VALUE));
                }
            } else {
                int count = statement.getUpdateCount();
                System.out.println(count >= 0 ? count + " row(s) affected" : "ok");
            }
        }
    }
}
