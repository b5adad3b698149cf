package workbook;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * One open database: a connection pool (HikariCP), wrapped so that every statement can be
 * echoed and counted, and a jOOQ {@link DSLContext} on top. Close it when done
 * (try-with-resources in scripts; the kernel closes it when it stops).
 */
public final class Db implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    // jdbc:mariadb://host:port/database?options: the database part is what a chapter replaces.
    private static final Pattern SERVER_URL = Pattern.compile("^(jdbc:[a-z]+://[^/?]*)(/[^?]*)?(\\?.*)?$");

    /**
     * The options of every {@code sqlite:NAME} database, what a SQLite user with more than one
     * connection should have (chapter 10 measures them with {@code writers@.}):
     * <ul>
     * <li>{@code foreign_keys=on}: SQLite ignores REFERENCES unless asked, per connection;</li>
     * <li>{@code busy_timeout=5000}: a connection that finds the database locked waits up to 5 s
     *     before {@code SQLITE_BUSY};</li>
     * <li>{@code journal_mode=WAL}: readers do not block the writer nor the writer readers;</li>
     * <li>{@code transaction_mode=IMMEDIATE}: a transaction takes the write lock when it begins, so
     *     that two read-then-write transactions queue (busy_timeout) instead of one failing at once
     *     with {@code SQLITE_BUSY} when it tries to write after reading. The price: every
     *     transaction, even one that only reads, holds the one write lock until it ends, so read
     *     outside a transaction (auto-commit, as {@code dsl().fetch} does) where you can, and never
     *     keep a transaction open while waiting for something else (a second connection, a user).</li>
     * </ul>
     */
    public static final String SQLITE_OPTIONS =
            "foreign_keys=on&busy_timeout=5000&journal_mode=WAL&transaction_mode=IMMEDIATE";

    private final String label;
    private final Engine engine;
    private final String url;
    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final SqlLog log = new SqlLog();
    private final DSLContext dsl;

    private Db(String label, Engine engine, String url, String schema) {
        this.label = label;
        this.engine = engine;
        this.url = url;
        if (engine == Engine.SQLITE) checkSqliteHeader(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("workbook-" + label.replaceAll("[^A-Za-z0-9_:-]", "_"));
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        if (schema != null) config.setSchema(schema);
        try {
            this.pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw Errors.connectFailed(url, e);
        }
        this.dataSource = counted(pool);
        this.dsl = dsl(dataSource);
    }

    /** The file of a jdbc:sqlite: URL, or null for an in-memory database. */
    static Path sqliteFile(String url) {
        String rest = url.substring(Engine.SQLITE.urlPrefix().length());
        boolean memory = rest.contains("mode=memory");
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.startsWith("file:")) rest = rest.substring("file:".length());
        return rest.isEmpty() || rest.startsWith(":memory:") || memory ? null : Path.of(rest);
    }

    /**
     * Refuses a file that is not a SQLite database before the pool opens it (the pool would log an
     * ERROR of its own and the driver blame the folder). Every SQLite file starts with these 16 bytes;
     * an empty file is a new database.
     */
    private static void checkSqliteHeader(String url) {
        Path file = sqliteFile(url);
        if (file == null || !Files.isRegularFile(file)) return;
        byte[] header = new byte[16];
        int read;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(header, 0, 16);
        } catch (IOException e) {
            throw new WorkbookException("Cannot read " + file + " (" + e.getMessage() + "): check its permissions", e);
        }
        if (read == 0) return;
        if (read < 16 || !new String(header, java.nio.charset.StandardCharsets.ISO_8859_1).equals("SQLite format 3\0")) {
            throw new WorkbookException(Errors.shorten(file.toString()) + " is not a SQLite database (its first bytes are not"
                    + " \"SQLite format 3\"): check the path, or move the file away and create the database again");
        }
    }

    /**
     * A spec, parsed and checked once: a jdbc: URL as given ({@code engine} from its prefix, null for
     * a driver the workbook does not know, {@code name} null), or a workbook name on one of the engines.
     */
    private record Spec(String text, Engine engine, String name) {
        boolean isUrl() {
            return name == null;
        }
    }

    /** Parses and checks a spec without connecting or creating anything. */
    private static Spec parse(String spec, boolean fresh) {
        if (spec == null || spec.isBlank()) {
            throw new WorkbookException("No database named: pass a name such as \"ch03\", "
                    + Engine.specExamples() + " or a jdbc: URL");
        }
        String given = spec.strip();
        if (given.startsWith("jdbc:") || given.contains("://")) {
            if (fresh && given.startsWith("jdbc:")) {
                throw new WorkbookException("fresh() empties only the workbook's own databases: use a name"
                        + " such as \"sqlite:ch03\", or open(\"" + Errors.shorten(Errors.redact(given)) + "\") to keep the data");
            }
            Errors.checkDriver(given);
            return new Spec(given, Engine.ofUrl(given).orElse(null), null);
        }
        int colon = given.indexOf(':');
        String prefix = colon < 0 ? null : given.substring(0, colon);
        String name = colon < 0 ? given : given.substring(colon + 1);
        Engine engine = prefix == null ? Engine.byDefault() : Engine.ofSpec(prefix).orElseThrow(() ->
                new WorkbookException("Unknown database '" + Errors.shorten(prefix) + "' in \"" + Errors.shorten(given) + "\": use "
                        + Engine.specExamples() + " or a jdbc: URL"));
        checkName(name, given);
        if (engine.isServer()) serverUrl(engine, name);
        return new Spec(given, engine, name);
    }

    /**
     * Checks a spec as {@link #open} would, without connecting or creating anything: so that a
     * command given several databases can refuse a bad one before it changes any of the others.
     */
    static void check(String spec, boolean fresh) {
        parse(spec, fresh);
    }

    /**
     * Opens a database that must exist already: a SQLite file is not created (SQLite would make an
     * empty one), nor a PostgreSQL schema or MariaDB database of a workbook name. For commands that
     * read or change what is there (sql, reflect), where a misspelt name should be an error.
     */
    static Db openExisting(String text) {
        Spec spec = parse(text, false);
        if (spec.isUrl()) {
            if (spec.engine() == Engine.SQLITE) {
                Path file = sqliteFile(spec.text());
                if (file == null) {
                    throw new WorkbookException("an in-memory SQLite database is empty when it opens: give a file");
                }
                if (!Files.isRegularFile(file)) {
                    throw new WorkbookException("no SQLite database file " + Errors.shorten(file.toString()) + ": check the path");
                }
            }
            return open(spec, false);
        }
        Engine engine = spec.engine();
        String name = spec.name();
        String create = "create it (jbang sample-db@. " + engine.spec() + ":" + name + " for the sample, jbang reset@. "
                + engine.spec() + ":" + name + " for an empty one)";
        switch (engine.freshStart()) {
            case FILE -> {
                if (!Files.isRegularFile(Workbook.home().resolve("db").resolve(name + ".sqlite"))) {
                    throw new WorkbookException("no SQLite database named " + spec.text() + " (db/" + name + ".sqlite): check the name, or " + create);
                }
            }
            case SCHEMA, DATABASE -> {
                String base = serverUrl(engine, name);
                try (Connection c = DriverManager.getConnection(base);
                     java.sql.PreparedStatement q = c.prepareStatement(
                             "select count(*) from information_schema.schemata where schema_name = ?")) {
                    q.setString(1, name);
                    try (java.sql.ResultSet rs = q.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) == 0) {
                            throw new WorkbookException("no " + (engine.freshStart() == Engine.FreshStart.SCHEMA ? "schema " : "database ")
                                    + name + " on the " + engine.displayName() + " server of " + engine.envVar()
                                    + ": check the name, or " + create);
                        }
                    }
                } catch (SQLException e) {
                    throw Errors.connectFailed(base, e);
                }
            }
        }
        return open(spec, false);
    }

    static Db open(String spec, boolean fresh) {
        return open(parse(spec, fresh), fresh);
    }

    private static Db open(Spec spec, boolean fresh) {
        if (spec.isUrl()) return new Db(Errors.redact(spec.text()), spec.engine(), spec.text(), null);
        return switch (spec.engine().freshStart()) {
            case FILE -> sqlite(spec.name(), fresh);
            case SCHEMA -> inSchema(spec.engine(), spec.name(), fresh);
            case DATABASE -> inDatabase(spec.engine(), spec.name(), fresh);
        };
    }

    private static Db sqlite(String name, boolean fresh) {
        Path dir = Workbook.home().resolve("db");
        Path file = dir.resolve(name + ".sqlite");
        try {
            Files.createDirectories(dir);
            if (fresh) {
                for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
                    Files.deleteIfExists(dir.resolve(name + ".sqlite" + suffix));
                }
            }
        } catch (IOException e) {
            throw new WorkbookException("Cannot prepare " + file + " (" + e.getMessage()
                    + "): check that the folder is writable, or set WORKBOOK_HOME", e);
        }
        return new Db("sqlite:" + name, Engine.SQLITE, "jdbc:sqlite:" + file + "?" + SQLITE_OPTIONS, null);
    }

    /**
     * Builds the database {@code spec} names afresh beside the old one (a file, schema or
     * database named {@code new_NAME}), runs {@code fill} on it, and only when {@code fill}
     * returns puts it in the old one's place: a failure leaves the old database as it was and no
     * staging copy. Returns the new database, open. For a jdbc: URL there is nowhere to stage, so
     * it is emptied first, as {@link Workbook#fresh} does.
     */
    static Db rebuilt(String text, java.util.function.Consumer<Db> fill) {
        Spec spec = parse(text, true);
        if (spec.isUrl()) {
            Db db = open(spec, true);
            try {
                fill.accept(db);
                return db;
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }
        String name = spec.name();
        String staging = ("new_" + name).substring(0, Math.min(63, name.length() + 4));
        Engine engine = spec.engine();
        Db db = open(new Spec(engine.spec() + ":" + staging, engine, staging), true);
        boolean swapped = false;
        try {
            fill.accept(db);
            switch (engine.freshStart()) {
                case FILE -> {
                    db.close();
                    Path dir = Workbook.home().resolve("db");
                    for (String suffix : new String[] {"-journal", "-wal", "-shm"}) Files.deleteIfExists(dir.resolve(name + ".sqlite" + suffix));
                    Files.move(dir.resolve(staging + ".sqlite"), dir.resolve(name + ".sqlite"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                case SCHEMA -> db.dsl().transaction(cfg -> {        // PostgreSQL's DDL is transactional: one step
                    DSL.using(cfg).execute("drop schema if exists " + name + " cascade");
                    DSL.using(cfg).execute("alter schema " + staging + " rename to " + name);
                });
                case DATABASE -> {                                   // MariaDB: one RENAME TABLE moves them all at once
                    java.util.List<String> tables = db.dsl().fetch("select table_name from information_schema.tables where table_schema = ?", staging)
                            .getValues(0, String.class);
                    runOnServer(serverUrl(engine, name), "drop database if exists " + name,
                            "create database " + name + " character set utf8mb4 collate utf8mb4_bin",
                            tables.isEmpty() ? null : "rename table " + String.join(", ", tables.stream()
                                    .map(t -> staging + "." + t + " to " + name + "." + t).toList()),
                            "drop database " + staging);
                }
            }
            swapped = true;
        } catch (IOException e) {
            throw new WorkbookException("Cannot put the new " + spec.text() + " in place (" + e.getMessage() + "): check that db/ is writable", e);
        } finally {
            db.close();
            if (!swapped) dropQuietly(engine, staging);
        }
        return open(spec, false);
    }

    /** Removes a staging copy after a failure, keeping the failure's own error. */
    private static void dropQuietly(Engine engine, String staging) {
        try {
            switch (engine.freshStart()) {
                case FILE -> {
                    for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
                        Files.deleteIfExists(Workbook.home().resolve("db").resolve(staging + ".sqlite" + suffix));
                    }
                }
                case SCHEMA -> runOnServer(serverUrl(engine, staging), "drop schema if exists " + staging + " cascade");
                case DATABASE -> runOnServer(serverUrl(engine, staging), "drop database if exists " + staging);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: could not remove the staging copy " + engine.spec() + ":" + staging + ": " + e.getMessage());
        }
    }

    /** PostgreSQL: the chapter's schema in the server's database (dropped and recreated for a fresh start). */
    private static Db inSchema(Engine database, String name, boolean fresh) {
        String base = serverUrl(database, name);
        runOnServer(base, fresh ? "drop schema if exists " + name + " cascade" : null, "create schema if not exists " + name);
        return new Db(database.spec() + ":" + name, database, base, name);
    }

    /** MariaDB: a database of the chapter's own on the server (dropped and recreated for a fresh start). */
    private static Db inDatabase(Engine database, String name, boolean fresh) {
        String base = serverUrl(database, name);
        runOnServer(base, fresh ? "drop database if exists " + name : null,
                "create database if not exists " + name + " character set utf8mb4 collate utf8mb4_bin");
        Matcher m = SERVER_URL.matcher(base);
        if (!m.matches()) throw new WorkbookException(database.envVar() + " is not a URL of the form " + database.exampleUrl());
        String url = m.group(1) + "/" + name + (m.group(3) == null ? "" : m.group(3));
        return new Db(database.spec() + ":" + name, database, url, null);
    }

    private static String serverUrl(Engine database, String name) {
        String base = database.serverUrl().orElseThrow(() -> new WorkbookException(database.spec() + ":" + name
                + " needs a server: set " + database.envVar() + ", for example " + database.exampleUrl()));
        if (!base.startsWith(database.urlPrefix())) {
            throw new WorkbookException(database.envVar() + " must be a " + database.displayName() + " JDBC URL starting with "
                    + database.urlPrefix() + "//, not " + Errors.redact(base));
        }
        Errors.checkDriver(base);
        return base;
    }

    private static void runOnServer(String url, String... statements) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : statements) if (sql != null) s.execute(sql);
        } catch (SQLException e) {
            throw Errors.connectFailed(url, e);
        }
    }

    private static String checkName(String name, String spec) {
        if (!NAME.matcher(name).matches()) {
            throw new WorkbookException("Invalid database name '" + Errors.shorten(name) + "' in \"" + Errors.shorten(spec)
                    + "\": use lowercase letters, digits and _ (for example ch03)");
        }
        return name;
    }

    private static SQLDialect dialectOf(String url) {
        SQLDialect dialect = JDBCUtils.dialect(url);
        return dialect == SQLDialect.DEFAULT ? SQLDialect.DEFAULT : dialect.family();
    }

    private DataSource counted(DataSource target) {
        return ProxyDataSourceBuilder.create(target).name(label).listener(log).build();
    }

    /** jOOQ's entry point for this database: build and run SQL with it. */
    public DSLContext dsl() {
        return dsl;
    }

    /** The pooled DataSource (echoed and counted), for JDBC, Hibernate or Liquibase. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A JDBC connection from the pool: close it (try-with-resources) to give it back. */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** jOOQ's dialect for this database (SQLITE, POSTGRES, MARIADB, ...). */
    public SQLDialect dialect() {
        return dsl.dialect();
    }

    /**
     * Which of the workbook's databases this is (SQLite, PostgreSQL, MariaDB), or null for a
     * JDBC URL of another product (an H2 database, say).
     */
    public Engine engine() {
        return engine;
    }

    /** True when this is {@code d}: {@code if (db.is(Engine.POSTGRESQL)) ...}. */
    public boolean is(Engine d) {
        return engine == d;
    }

    /**
     * The argument for this database, in the order SQLite, PostgreSQL, MariaDB: what a cell
     * runs or says where the three differ ({@link Engine#pick}).
     */
    public <T> T pick(T sqlite, T postgresql, T mariadb) {
        if (engine == null) {
            throw new WorkbookException(label + " is none of the workbook's databases (SQLite, PostgreSQL, MariaDB):"
                    + " this code knows only those");
        }
        return engine.pick(sqlite, postgresql, mariadb);
    }

    /**
     * The pool itself, without the counting and echoing proxy: for code whose time is measured
     * (chapter 13's benchmark), where the proxy's own cost would be timed too. What runs
     * through it is neither echoed nor counted.
     */
    public DataSource uncountedDataSource() {
        return pool;
    }

    /**
     * A DataSource that opens a new physical connection on every {@code getConnection()}, no
     * pool: to measure what a pool saves. Counted and echoed when {@code counted} is true.
     */
    public DataSource unpooledDataSource(boolean counted) {
        DataSource plain = new UnpooledDataSource(url, pool.getSchema());
        return counted ? counted(plain) : plain;
    }

    /** A jOOQ DSLContext on another DataSource (one of the above), with this database's dialect and settings. */
    public DSLContext dsl(DataSource on) {
        Settings settings = new Settings()
                .withExecuteLogging(false)   // the workbook's own echo replaces jOOQ's DEBUG log
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED);
        return DSL.using(on, engine != null ? engine.dialect() : dialectOf(url), settings);
    }

    /** Turns the printing of every SQL statement and its bind values on or off (SQLAlchemy's echo). */
    public void echo(boolean on) {
        log.echo(on);
    }

    /** Runs {@code work} and returns how many SQL statements it sent to the database. */
    public int count(Runnable work) {
        long before = log.count();
        work.run();
        return (int) (log.count() - before);
    }

    /**
     * A Hibernate {@code SessionFactory} (the ORM's engine plus sessionmaker) for these entity
     * classes, on this database's pooled DataSource, so that echo and count see its SQL too.
     * It creates no tables: call {@code getSchemaManager().create(true)} for that (chapter 4).
     */
    public SessionFactory sessionFactory(Class<?>... entities) {
        return sessionFactory(Map.of(), entities);
    }

    /**
     * The same, with Hibernate settings of your own, for example
     * {@code Map.of("hibernate.jdbc.batch_size", 50, "hibernate.generate_statistics", true)}
     * (chapter 13). The settings cannot replace the DataSource: echo and count must see the SQL.
     */
    public SessionFactory sessionFactory(Map<String, ?> settings, Class<?>... entities) {
        return sessionFactory(dataSource, settings, entities);
    }

    /**
     * The same on a DataSource of your choosing, such as {@link #uncountedDataSource()} for a
     * timed benchmark. The settings cannot replace that DataSource.
     */
    public SessionFactory sessionFactory(DataSource on, Map<String, ?> settings, Class<?>... entities) {
        HibernatePersistenceConfiguration config = new HibernatePersistenceConfiguration("workbook-" + label)
                .managedClasses(entities);
        if (engine != null && engine.hibernateDialect() != null) {
            config.property(JdbcSettings.DIALECT, engine.hibernateDialect());
        }
        settings.forEach(config::property);
        config.property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, on);
        return config.createEntityManagerFactory();
    }

    /** Creates the sample tables (author, book, member, loan) and loads data/*.csv into them. */
    public void loadSample() {
        SampleData.load(this);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The spec that names this database, such as {@code sqlite:ch03} (never a password). */
    @Override
    public String toString() {
        return label;
    }
}
