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
import org.jooq.exception.DataAccessException;
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
                "A file may hold several statements, separated by ; and sent as written; they run in one"
                        + " transaction, so a failing statement leaves the database as it was (on MariaDB, whose"
                        + " DDL commits by itself, only the rows of data statements are undone)."},
        footer = {"", "DATABASE is a workbook name (sample, sqlite:ch03, postgresql:ch03,", "mariadb:ch03) or any JDBC URL.", "",
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
        try (Db db = Workbook.openExisting(database)) {
            List<String> statements = new ArrayList<>();
            if (file != null) {
                statements.addAll(split(read(file)));
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

    /**
     * Splits a script into its statements as written, so that each goes to the database exactly as
     * the file has it (jOOQ's parser would send its own rendering, and refuses what it does not
     * know). A statement ends at a ; that is outside quotes ('...', "...", `...`), comments (-- to
     * the end of the line, slash-star to star-slash), PostgreSQL's dollar quotes ($$...$$,
     * $tag$...$tag$) and the BEGIN ... END body of a CREATE TRIGGER (SQLite, MariaDB).
     */
    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;          // BEGIN/CASE ... END nesting inside a CREATE TRIGGER
        int line = 1;
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            int start = i;
            int startLine = line;
            if (c == '\'' || c == '"' || c == '`') {
                i = closing(script, i + 1, String.valueOf(c), startLine, c == '\'' ? "a quoted string" : "a quoted name");
            } else if (script.startsWith("--", i)) {
                int end = script.indexOf('\n', i);
                i = end < 0 ? script.length() : end;
            } else if (script.startsWith("/*", i)) {
                i = closing(script, i + 2, "*/", startLine, "a comment");
            } else if (c == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                i = closing(script, i + tag.length(), tag, startLine, "a " + tag + " quoted body");
            } else if (Character.isLetter(c)) {
                while (i < script.length() && (Character.isLetterOrDigit(script.charAt(i)) || script.charAt(i) == '_')) i++;
                String word = script.substring(start, i).toUpperCase(java.util.Locale.ROOT);
                boolean opens = word.equals("BEGIN") || word.equals("CASE");
                if ((opens || word.equals("END")) && isTrigger(current.toString())) {
                    if (opens) depth++;
                    else if (!nextWordCloses(script, i)) depth--;
                }
            } else if (c == ';' && depth <= 0) {
                String sql = current.toString().strip();
                if (!onlyComments(sql)) out.add(sql);
                current.setLength(0);
                depth = 0;
                i++;
                continue;
            } else {
                i++;
            }
            for (int k = start; k < i; k++) if (script.charAt(k) == '\n') line++;
            current.append(script, start, i);
        }
        String rest = current.toString().strip();
        if (!onlyComments(rest)) out.add(rest);
        return out;
    }

    /** The index after {@code end}, searched from {@code from}; a clear error when the file ends first. */
    private static int closing(String script, int from, String end, int line, String what) {
        int at = script.indexOf(end, from);
        if (at < 0) throw new WorkbookException("the file ends inside " + what + " that starts at line " + line + ": close it");
        return at + end.length();
    }

    /** PostgreSQL's dollar-quote opening at {@code i} ($$ or $tag$), or null. */
    private static String dollarTag(String script, int i) {
        int j = i + 1;
        while (j < script.length() && (Character.isLetterOrDigit(script.charAt(j)) || script.charAt(j) == '_')) j++;
        if (j < script.length() && script.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(script.charAt(i + 1)))) {
            return script.substring(i, j + 1);
        }
        return null;
    }

    private static boolean isTrigger(String statementSoFar) {
        String words = statementSoFar.replaceAll("(?s)--[^\n]*|/\\*.*?\\*/", " ").strip().toUpperCase(java.util.Locale.ROOT);
        return words.matches("(?s)CREATE\\s+(OR\\s+REPLACE\\s+)?(DEFINER\\s*=\\s*\\S+\\s+)?(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b.*");
    }

    /** END IF, END LOOP, END WHILE, END REPEAT, END FOR close a block that did not count as BEGIN. */
    private static boolean nextWordCloses(String script, int i) {
        while (i < script.length() && Character.isWhitespace(script.charAt(i))) i++;
        int j = i;
        while (j < script.length() && Character.isLetter(script.charAt(j))) j++;
        return List.of("IF", "LOOP", "WHILE", "REPEAT", "FOR").contains(script.substring(i, j).toUpperCase(java.util.Locale.ROOT));
    }

    private static boolean onlyComments(String sql) {
        return sql.replaceAll("(?s)--[^\n]*|/\\*.*?\\*/", "").isBlank();
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
