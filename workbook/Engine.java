package workbook;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jooq.SQLDialect;

/**
 * The three database engines the workbook teaches, and everything the workbook needs to know about
 * each in one place: how a spec names it, which environment variable points at its server,
 * its JDBC driver and URL prefix, its jOOQ and Hibernate dialects, and how a chapter gets a
 * fresh start on it. Code that differs by database asks this model (or {@link #pick}) instead
 * of branching on strings, so that a database nobody thought of fails with a clear message
 * instead of quietly taking another one's branch.
 */
public enum Engine {
    /** The embedded default: one file per chapter under db/, nothing to install. */
    SQLITE("sqlite", "SQLite", null, "org.sqlite.JDBC", "jdbc:sqlite:", "jdbc:sqlite:FILE",
            SQLDialect.SQLITE, "org.hibernate.community.dialect.SQLiteDialect", FreshStart.FILE),
    /** A server: each chapter works in a schema of its own in the database of WORKBOOK_PG_URL. */
    POSTGRESQL("postgresql", "PostgreSQL", "WORKBOOK_PG_URL", "org.postgresql.Driver", "jdbc:postgresql:",
            "jdbc:postgresql://localhost:5432/workbook?user=me&password=secret",
            SQLDialect.POSTGRES, null, FreshStart.SCHEMA),
    /**
     * MySQL's open-source twin: each chapter works in a database of its own on the server of
     * WORKBOOK_MARIADB_URL (in MySQL and MariaDB a schema and a database are the same thing).
     */
    MARIADB("mariadb", "MariaDB", "WORKBOOK_MARIADB_URL", "org.mariadb.jdbc.Driver", "jdbc:mariadb:",
            "jdbc:mariadb://localhost:3306/workbook?user=me&password=secret",
            SQLDialect.MARIADB, null, FreshStart.DATABASE);

    /** How {@code fresh("ch03")} gives a chapter an empty database. */
    public enum FreshStart {
        /** delete the file db/NAME.sqlite (and its journal) */
        FILE("the file db/NAME.sqlite"),
        /** drop and recreate the schema NAME in the server's database */
        SCHEMA("the schema NAME"),
        /** drop and recreate the database NAME on the server */
        DATABASE("the database NAME");

        private final String what;

        FreshStart(String what) {
            this.what = what;
        }

        /** What a chapter named {@code name} works in, for messages: "the schema ch03". */
        public String describe(String name) {
            return what.replace("NAME", name);
        }
    }

    private final String spec;
    private final String displayName;
    private final String envVar;
    private final String driver;
    private final String urlPrefix;
    private final String exampleUrl;
    private final SQLDialect dialect;
    private final String hibernateDialect;
    private final FreshStart freshStart;

    Engine(String spec, String displayName, String envVar, String driver, String urlPrefix, String exampleUrl,
             SQLDialect dialect, String hibernateDialect, FreshStart freshStart) {
        this.spec = spec;
        this.displayName = displayName;
        this.envVar = envVar;
        this.driver = driver;
        this.urlPrefix = urlPrefix;
        this.exampleUrl = exampleUrl;
        this.dialect = dialect;
        this.hibernateDialect = hibernateDialect;
        this.freshStart = freshStart;
    }

    /** The prefix of a workbook spec: {@code sqlite}, {@code postgresql}, {@code mariadb}. */
    public String spec() {
        return spec;
    }

    /** The product's name as a reader writes it: SQLite, PostgreSQL, MariaDB. */
    public String displayName() {
        return displayName;
    }

    /** The environment variable that points at a server (null for SQLite, which needs none). */
    public String envVar() {
        return envVar;
    }

    /** The JDBC driver class. */
    public String driver() {
        return driver;
    }

    /** How its JDBC URLs start: {@code jdbc:sqlite:}, {@code jdbc:postgresql:}, {@code jdbc:mariadb:}. */
    public String urlPrefix() {
        return urlPrefix;
    }

    /** A URL to show in messages and documentation. */
    public String exampleUrl() {
        return exampleUrl;
    }

    /** jOOQ's dialect: how jOOQ renders SQL for it. */
    public SQLDialect dialect() {
        return dialect;
    }

    /**
     * The Hibernate dialect to set, or null where Hibernate picks the right one itself from
     * the connection (PostgreSQL, MariaDB). SQLite's lives in hibernate-community-dialects.
     */
    public String hibernateDialect() {
        return hibernateDialect;
    }

    /** How a chapter gets a fresh start. */
    public FreshStart freshStart() {
        return freshStart;
    }

    /**
     * True where DDL takes part in transactions (SQLite, PostgreSQL): a rollback also takes back
     * a CREATE TABLE. MariaDB and MySQL commit each DDL statement implicitly, so a failed
     * migration or load leaves the tables it created behind unless they are dropped.
     */
    public boolean transactionalDdl() {
        return this != MARIADB;
    }

    /** True for the databases that run as a server the workbook reaches through a URL. */
    public boolean isServer() {
        return envVar != null;
    }

    /**
     * The server URL from this database's environment variable, or empty when it is not set
     * (always empty for SQLite).
     */
    public Optional<String> serverUrl() {
        if (envVar == null) return Optional.empty();
        String url = System.getenv(envVar);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(url.strip());
    }

    /**
     * What a chapter says or runs where the databases differ: the argument for this database.
     * All three are named in one call, in the order SQLite, PostgreSQL, MariaDB, so that a new
     * database cannot fall into another one's branch. Pass null for a database a cell does not
     * cover yet; choosing it then fails with a clear message.
     */
    public <T> T pick(T sqlite, T postgresql, T mariadb) {
        T chosen = switch (this) {
            case SQLITE -> sqlite;
            case POSTGRESQL -> postgresql;
            case MARIADB -> mariadb;
        };
        if (chosen == null) {
            throw new WorkbookException("This code has no " + displayName + " variant yet: run it on "
                    + String.join(" or ", covered(sqlite, postgresql, mariadb)) + ", or add the " + displayName + " one");
        }
        return chosen;
    }

    private static List<String> covered(Object... values) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) if (values[i] != null) names.add(values()[i].displayName);
        return names;
    }

    /**
     * The catalog to pass to {@code DatabaseMetaData} calls (getTables, getColumns, ...) for a
     * connection's own tables: MariaDB's "catalog" is its database; the others take null.
     */
    public String metaCatalog(Connection c) throws SQLException {
        return this == MARIADB ? c.getCatalog() : null;
    }

    /** The schema pattern for the same calls: PostgreSQL's current schema; null (any) on the others. */
    public String metaSchema(Connection c) throws SQLException {
        return this == POSTGRESQL ? c.getSchema() : null;
    }

    /** The database a JDBC URL belongs to, if it is one of the three. */
    public static Optional<Engine> ofUrl(String jdbcUrl) {
        for (Engine d : values()) if (jdbcUrl.startsWith(d.urlPrefix)) return Optional.of(d);
        return Optional.empty();
    }

    /** The database a spec prefix names ({@code postgres} is accepted for PostgreSQL). */
    public static Optional<Engine> ofSpec(String prefix) {
        if (prefix.equals("postgres")) return Optional.of(POSTGRESQL);
        for (Engine d : values()) if (d.spec.equals(prefix)) return Optional.of(d);
        return Optional.empty();
    }

    /**
     * Where a bare name such as {@code "ch03"} goes: the first server whose environment
     * variable is set (PostgreSQL, then MariaDB), else SQLite.
     */
    public static Engine byDefault() {
        for (Engine d : values()) if (d.serverUrl().isPresent()) return d;
        return SQLITE;
    }

    /** The spec prefixes, for messages: "sqlite:NAME, postgresql:NAME, mariadb:NAME". */
    static String specExamples() {
        List<String> specs = new java.util.ArrayList<>();
        for (Engine d : values()) specs.add(d.spec + ":NAME");
        return String.join(", ", specs);
    }
}
