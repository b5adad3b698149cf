package workbook;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns driver and pool exceptions into one-line messages that name the fix. */
final class Errors {
    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:[a-z]+://([^/?]*)");
    private static final Pattern SECRET = Pattern.compile("(?i)(password=)[^&;]*");
    // The port at the end of one host:port of a URL's authority (an IPv6 host ends in ]).
    private static final Pattern PORT = Pattern.compile(":([^:\\]]*)$");

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
        checkServerUrl(url);
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
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (sql == null && t instanceof SQLException) sql = (SQLException) t;
            root = t;
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
            // Which fix to name: the environment variable only when the URL came from it.
            boolean fromEnv = database.serverUrl().map(e -> sameServer(e, url)).orElse(false);
            String elsewhere = fromEnv ? ", or point " + database.envVar() + " at one that runs" : ", or fix the host and port in the URL";
            if (root instanceof java.net.UnknownHostException) {
                return new WorkbookException("Unknown host '" + oneLine(root.getMessage()) + "' in " + where
                        + ": fix the host name in the URL", failure);
            }
            if (root instanceof java.net.ConnectException || root instanceof java.net.NoRouteToHostException
                    || root instanceof java.net.SocketTimeoutException || (sql == null && detail.contains("onnection refused"))) {
                return new WorkbookException("Cannot reach " + product + " at " + server + " (" + detail
                        + "): start the server" + elsewhere, failure);
            }
            if (detail.contains("does not support SSL") || detail.contains("ssl not enabled in the server")) {
                return new WorkbookException(product + " at " + server + " does not offer TLS (" + detail + "): "
                        + database.pick("", "drop ssl=true / sslmode=require from the URL (sslmode=prefer uses TLS where the server has it)",
                                "drop sslMode from the URL (sslMode=disable is the default)")
                        + ", or turn TLS on in the server", failure);
            }
            if (detail.toLowerCase(java.util.Locale.ROOT).contains("sslmode")) {
                return new WorkbookException("Bad sslmode in " + where + " (" + detail + "): use one of "
                        + database.pick("", "disable, allow, prefer, require, verify-ca, verify-full",
                                "disable, trust, verify-ca, verify-full (option sslMode)"), failure);
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
            if (state.startsWith("08")) {
                return new WorkbookException(product + " at " + server + " did not accept the connection (" + detail
                        + "): check the URL's options" + (fromEnv ? " in " + database.envVar() : ""), failure);
            }
        }
        if (database == Engine.SQLITE) {
            if (detail.contains("SQLITE_NOTADB") || detail.contains("SQLITE_CORRUPT")) {
                return new WorkbookException(where + " is not a SQLite database (" + detail
                        + "): check the path, or move the file away and create the database again", failure);
            }
            return new WorkbookException("Cannot open the SQLite database " + where + " (" + detail
                    + "): check that its folder exists and is writable", failure);
        }
        return new WorkbookException("Cannot connect to " + where + " (" + detail + ")", failure);
    }

    /** True when two server URLs name the same host and port. */
    private static boolean sameServer(String a, String b) {
        Matcher ma = HOST_PORT.matcher(a), mb = HOST_PORT.matcher(b);
        return ma.find() && mb.find() && ma.group(1).replaceAll(".*@", "").equals(mb.group(1).replaceAll(".*@", ""));
    }

    /**
     * Checks the parts of a server URL that drivers misread or report badly: user:password@ before
     * the host (PostgreSQL's driver takes it as a host name) and a port outside 1 to 65535 (its driver
     * logs a warning and then accepts no URL at all).
     */
    static void checkServerUrl(String url) {
        Engine database = Engine.ofUrl(url).orElse(null);
        Matcher m = HOST_PORT.matcher(url);
        if (database == null || !database.isServer() || !m.find()) return;
        String authority = m.group(1);
        if (authority.contains("@")) {
            throw new WorkbookException("A JDBC URL takes no user:password@ before the host ('" + shorten(redact(url))
                    + "'): write " + database.urlPrefix() + "//HOST:PORT/DATABASE?user=NAME&password=SECRET");
        }
        for (String hostPort : authority.split(",")) {
            Matcher port = PORT.matcher(hostPort);
            if (!port.find()) continue;
            String digits = port.group(1);
            boolean ok = digits.matches("[0-9]{1,5}") && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
            if (!ok) {
                throw new WorkbookException("Port '" + shorten(digits) + "' in '" + shorten(redact(url))
                        + "' is not a TCP port: use a number from 1 to 65535 (PostgreSQL listens on 5432, MariaDB on 3306 by default)");
            }
        }
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
