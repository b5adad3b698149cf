package workbook;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns driver and pool exceptions into one-line messages that name the fix. */
final class Errors {
    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:[a-z]+://([^/?]*)");
    private static final Pattern SECRET = Pattern.compile("(?i)(password=)[^&;]*");

    private Errors() {}

    /** A URL fit to print: passwords replaced by ***. */
    static String redact(String url) {
        return SECRET.matcher(url).replaceAll("$1***").replaceAll("//([^/:@]+):([^/@]+)@", "//$1:***@");
    }

    /** Fails early, with a hint, when no JDBC driver on the classpath accepts the URL. */
    static void checkDriver(String url) {
        if (!url.startsWith("jdbc:")) {
            throw new WorkbookException("Not a JDBC URL: '" + redact(url) + "': JDBC URLs start with jdbc:,"
                    + " for example jdbc:sqlite:shop.db or jdbc:postgresql://localhost:5432/shop");
        }
        loadKnownDriver(url);
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            String hint;
            if (url.startsWith("jdbc:postgres:") || url.startsWith("jdbc:postgres/") || url.startsWith("jdbc:pg:")) {
                hint = "did you mean jdbc:postgresql://HOST:PORT/DATABASE ?";
            } else if (url.startsWith("jdbc:sqlite3:") || url.startsWith("jdbc:sqllite:")) {
                hint = "did you mean jdbc:sqlite:FILE ?";
            } else if (url.startsWith("jdbc:maria:") || url.startsWith("jdbc:mariadb/")) {
                hint = "did you mean jdbc:mariadb://HOST:PORT/DATABASE ?";
            } else if (url.startsWith("jdbc:mysql:")) {
                hint = "the workbook has MariaDB's driver, which serves MySQL too: write jdbc:mariadb://HOST:PORT/DATABASE"
                        + " (or add MySQL Connector/J, com.mysql:mysql-connector-j)";
            } else {
                hint = "fix the URL, or add the database's driver (//DEPS in a script, %maven in a notebook)";
            }
            throw new WorkbookException("No JDBC driver accepts '" + redact(url) + "': " + hint);
        }
    }

    private static void loadKnownDriver(String url) {
        String driver = Engine.ofUrl(url).map(Engine::driver).orElse(null);
        if (driver == null) return;
        try {
            Class.forName(driver, true, Errors.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new WorkbookException("The JDBC driver " + driver + " is not on the classpath:"
                    + " add it (//DEPS in a script, %maven in a notebook)");
        }
    }

    /** The one-line explanation of why a connection could not be made. */
    static WorkbookException connectFailed(String url, Throwable failure) {
        if (failure instanceof WorkbookException) return (WorkbookException) failure;
        SQLException sql = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                sql = (SQLException) t;
                break;
            }
        }
        String detail = oneLine(sql != null ? sql.getMessage() : String.valueOf(failure.getMessage()));
        String state = sql != null && sql.getSQLState() != null ? sql.getSQLState() : "";
        String where = redact(url);
        Engine database = Engine.ofUrl(url).orElse(null);
        Matcher m = HOST_PORT.matcher(url);
        if (database != null && database.isServer() && m.find()) {
            String server = m.group(1).replaceAll(".*@", "");
            String product = database.displayName();
            int code = sql != null ? sql.getErrorCode() : 0;
            if (state.startsWith("08") || (sql == null && detail.contains("onnection refused"))) {
                return new WorkbookException("Cannot reach " + product + " at " + server + " (" + detail
                        + "): start the server, or point " + database.envVar() + " at one that runs", failure);
            }
            if (state.startsWith("28") || code == 1045) {
                return new WorkbookException(product + " at " + server + " refused the login (" + detail
                        + "): check user and password in the URL", failure);
            }
            if (state.equals("3D000") || code == 1049) {
                return new WorkbookException(product + " at " + server + " has no such database (" + detail + "): "
                        + (database == Engine.POSTGRESQL ? "create it (createdb NAME)" : "create it (create database NAME)")
                        + " or fix the URL", failure);
            }
        }
        if (database == Engine.SQLITE) {
            return new WorkbookException("Cannot open the SQLite database " + where + " (" + detail
                    + "): check that its folder exists and is writable", failure);
        }
        return new WorkbookException("Cannot connect to " + where + " (" + detail + ")", failure);
    }

    /** A name or spec as an error message quotes it: at most 80 characters. */
    static String shorten(String s) {
        return s == null || s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    static String oneLine(String s) {
        if (s == null) return "";
        String line = s.strip().split("\\R", 2)[0];
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
