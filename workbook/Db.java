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

    /** The database products the workbook knows by name. */
    public enum Kind { SQLITE, POSTGRESQL, OTHER }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final String label;
    private final Kind kind;
    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final SqlLog log = new SqlLog();
    private final DSLContext dsl;

    private Db(String label, Kind kind, String url, String schema) {
        this.label = label;
        this.kind = kind;
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
        this.dataSource = ProxyDataSourceBuilder.create(pool).name(label).listener(log).build();
        Settings settings = new Settings()
                .withExecuteLogging(false)   // the workbook's own echo (below) replaces jOOQ's DEBUG log
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED);
        this.dsl = DSL.using(dataSource, dialectOf(url), settings);
    }

    static Db open(String spec, boolean fresh) {
        if (spec == null || spec.isBlank()) {
            throw new WorkbookException("No database named: pass a name such as \"ch03\", \"sqlite:ch03\","
                    + " \"postgresql:ch03\" or a jdbc: URL");
        }
        spec = spec.strip();
        if (spec.contains("://") && !spec.startsWith("jdbc:")) Errors.checkDriver(spec);
        if (spec.startsWith("jdbc:")) {
            if (fresh) {
                throw new WorkbookException("fresh() empties only the workbook's own databases: use a name"
                        + " such as \"sqlite:ch03\", or open(\"" + Errors.redact(spec) + "\") to keep the data");
            }
            Errors.checkDriver(spec);
            return new Db(Errors.redact(spec), kindOf(spec), spec, null);
        }
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? (pgBaseUrl() != null ? "postgresql" : "sqlite") : spec.substring(0, colon);
        String name = colon < 0 ? spec : spec.substring(colon + 1);
        switch (kind) {
            case "sqlite":
                return sqlite(checkName(name, spec), fresh);
            case "postgresql":
            case "postgres":
                return postgres(checkName(name, spec), fresh);
            default:
                throw new WorkbookException("Unknown database '" + kind + "' in \"" + spec
                        + "\": use sqlite:NAME, postgresql:NAME or a jdbc: URL");
        }
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
        // foreign_keys=on: SQLite ignores REFERENCES unless asked, per connection.
        return new Db("sqlite:" + name, Kind.SQLITE, "jdbc:sqlite:" + file + "?foreign_keys=on&busy_timeout=5000", null);
    }

    private static Db postgres(String name, boolean fresh) {
        String base = pgBaseUrl();
        if (base == null) {
            throw new WorkbookException("postgresql:" + name + " needs a server: set WORKBOOK_PG_URL, for example"
                    + " jdbc:postgresql://localhost:5432/workbook?user=me&password=secret");
        }
        if (!base.startsWith("jdbc:postgresql:")) {
            throw new WorkbookException("WORKBOOK_PG_URL must be a PostgreSQL JDBC URL starting with jdbc:postgresql://,"
                    + " not " + Errors.redact(base));
        }
        Errors.checkDriver(base);
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            if (fresh) s.execute("drop schema if exists " + name + " cascade");
            s.execute("create schema if not exists " + name);
        } catch (SQLException e) {
            throw Errors.connectFailed(base, e);
        }
        return new Db("postgresql:" + name, Kind.POSTGRESQL, base, name);
    }

    private static String pgBaseUrl() {
        String url = System.getenv("WORKBOOK_PG_URL");
        return url == null || url.isBlank() ? null : url.strip();
    }

    private static String checkName(String name, String spec) {
        if (!NAME.matcher(name).matches()) {
            throw new WorkbookException("Invalid database name '" + name + "' in \"" + spec
                    + "\": use lowercase letters, digits and _ (for example ch03)");
        }
        return name;
    }

    private static Kind kindOf(String url) {
        if (url.startsWith("jdbc:sqlite:")) return Kind.SQLITE;
        if (url.startsWith("jdbc:postgresql:")) return Kind.POSTGRESQL;
        return Kind.OTHER;
    }

    private static SQLDialect dialectOf(String url) {
        SQLDialect dialect = JDBCUtils.dialect(url);
        return dialect == SQLDialect.DEFAULT ? SQLDialect.DEFAULT : dialect.family();
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

    /** jOOQ's dialect for this database (SQLITE, POSTGRES, ...). */
    public SQLDialect dialect() {
        return dsl.dialect();
    }

    /** Which product this is. */
    public Kind kind() {
        return kind;
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
        HibernatePersistenceConfiguration config = new HibernatePersistenceConfiguration("workbook-" + label)
                .managedClasses(entities);
        if (kind == Kind.SQLITE) config.property(JdbcSettings.DIALECT, "org.hibernate.community.dialect.SQLiteDialect");
        settings.forEach(config::property);
        config.property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource);
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
