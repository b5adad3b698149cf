package perf;

import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.jooq.DSLContext;
import perf.Customers.Customer;
import perf.Customers.CustomerPk;
import perf.Customers.CustomerSeq;
import perf.Customers.WideCustomer;
import workbook.Db;
import workbook.Engine;
import workbook.Workbook;
import workbook.WorkbookException;

/**
 * What a test gets: the database through every layer. In the run that counts statements, the
 * layers go through the workbook's counting proxy; in the timed runs they go around it, so
 * that the proxy's own cost is never timed.
 */
public final class RunContext implements AutoCloseable {
    final Db db;
    /**
     * PostgreSQL only: the same database with pgjdbc's reWriteBatchedInserts=true, which is a
     * property of the connection, so test_jdbc_rewrite_batched needs a Db of its own.
     */
    final Db rewriting;
    private final DSLContext plainDsl;
    private final Map<String, SessionFactory> factories = new LinkedHashMap<>();
    private int aroundProxy;

    // What the tests use, switched by counting(): counted or plain.
    boolean counting;
    DataSource pool;   // HikariCP
    DataSource raw;    // no pool: a new physical connection per getConnection()
    DSLContext dsl;

    private RunContext(Db db, Db rewriting) {
        this.db = db;
        this.rewriting = rewriting;
        this.plainDsl = db.dsl(db.uncountedDataSource());
        counting(true);
    }

    /** Opens the database of a JDBC URL; perf's tests are written for SQLite and PostgreSQL only. */
    public static RunContext open(String url) {
        // A MariaDB URL is refused before connecting, so that the message names the fix and not a
        // missing server; any other URL goes to Workbook.open first, which hints at a mistyped prefix.
        if (Engine.ofUrl(url).filter(e -> !runsOn(e)).isPresent()) throw unsupported();
        Db db = Workbook.open(url);
        if (!runsOn(db.engine())) {
            db.close();
            throw unsupported();
        }
        String rewritingUrl = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        return new RunContext(db, db.is(Engine.POSTGRESQL) ? Workbook.open(rewritingUrl) : null);
    }

    private static boolean runsOn(Engine engine) {
        return engine == Engine.SQLITE || engine == Engine.POSTGRESQL;
    }

    private static WorkbookException unsupported() {
        return new WorkbookException("perf runs on SQLite or PostgreSQL: give a jdbc:sqlite: or jdbc:postgresql: URL");
    }

    public Engine engine() {
        return db.engine();
    }

    /** Switches every layer to the counted (proxied) or the plain connections. */
    public void counting(boolean on) {
        counting = on;
        pool = on ? db.dataSource() : db.uncountedDataSource();
        raw = db.unpooledDataSource(on);
        dsl = on ? db.dsl() : plainDsl;
    }

    /** A test's result: the rows it reports, and the statements it sent (counted runs only, else 0). */
    public record Outcome(long rows, int statements) {}

    /**
     * Runs a test once. A counted run adds up what each Db counted (the rewriting one sees only
     * test_jdbc_rewrite_batched) and what went around the proxy.
     */
    public Outcome run(Case.Body body, int n) throws Exception {
        if (!counting) return new Outcome(body.run(this, n), 0);
        long[] rows = new long[1];
        Runnable work = () -> {
            try {
                rows[0] = body.run(this, n);
            } catch (Exception e) {
                throw new Thrown(e);
            }
        };
        int[] rewritten = new int[1];
        aroundProxy = 0;
        try {
            int statements = db.count(rewriting == null ? work : () -> rewritten[0] = rewriting.count(work));
            return new Outcome(rows[0], statements + rewritten[0] + aroundProxy);
        } catch (Thrown t) {
            throw (Exception) t.getCause();
        }
    }

    /** db.count takes a Runnable: a test's checked exception crosses it in this, and is unwrapped after. */
    private static final class Thrown extends RuntimeException {
        Thrown(Exception cause) {
            super(cause);
        }
    }

    /** Counts a statement sent around the proxy, which cannot see it (PostgreSQL's COPY). */
    void sentAroundProxy() {
        aroundProxy++;
    }

    /** A SessionFactory with JDBC batching of 1000 (SQLAlchemy's flush batches too), one per setting set. */
    public SessionFactory orm(boolean planCache) {
        return factories.computeIfAbsent("plan-cache=" + planCache + (counting ? "-counted" : ""), key -> {
            Map<String, Object> settings = Map.of("hibernate.jdbc.batch_size", 1000, "hibernate.order_inserts", true,
                    "hibernate.query.plan_cache_enabled", planCache);
            List<Class<?>> entities = new ArrayList<>(List.of(Customer.class, CustomerPk.class, WideCustomer.class));
            if (db.is(Engine.POSTGRESQL)) entities.add(CustomerSeq.class);   // SQLite has no sequences
            return db.sessionFactory(pool, settings, entities.toArray(Class<?>[]::new));
        });
    }

    /** The setups' DDL, one statement after another. */
    void sql(String... statements) {
        for (String sql : statements) dsl.execute(sql);
    }

    /** perf's mark in a database: a table of its own, made before perf first drops and recreates customer. */
    static final String MARK = "workbook_perf";

    /**
     * Refuses a database whose customer table perf did not make (perf drops and recreates that
     * table, as SQLAlchemy's suite does, so a user's own customer table would be lost), then
     * marks the database as perf's. The default db/perf.sqlite is perf's own file.
     */
    public void claimCustomerTable(boolean ownFile) throws SQLException {
        boolean customer = hasTable("customer");
        boolean marked = hasTable(MARK);
        if (customer && !marked && !ownFile) {
            throw new WorkbookException(db + " has a table customer that perf@. did not create, and perf drops and"
                    + " recreates customer (as SQLAlchemy's suite does): give it a database of its own (leave out"
                    + " --dburl for db/perf.sqlite, or point it at an empty database)");
        }
        if (!marked) {
            sql("create table " + MARK + " (note varchar(200))",
                    "insert into " + MARK + " values ('made by jbang perf@.: it drops and recreates the table customer here')");
        }
    }

    private boolean hasTable(String name) throws SQLException {
        try (Connection c = db.uncountedDataSource().getConnection();
             ResultSet tables = c.getMetaData().getTables(db.engine().metaCatalog(c), db.engine().metaSchema(c), "%", null)) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equalsIgnoreCase(name)) return true;
            }
        }
        return false;
    }

    /** SQLAlchemy's drop_all + create_all for the three-column customer table. */
    void createCustomer() {
        if (db.is(Engine.POSTGRESQL)) sql("drop sequence if exists customer_seq", "create sequence customer_seq increment by 1000");
        sql("drop table if exists customer", "create table customer (id "
                + db.pick("integer not null primary key", "integer generated by default as identity primary key", null)
                + ", name varchar(255), description varchar(255))");
    }

    /** Fills customer with n rows (ids 1..n) through a JDBC batch, in chunks of 10000 as SQLAlchemy's setup does. */
    void fillCustomer(int n) throws SQLException {
        createCustomer();
        BulkInserts.jdbcBatch(pool, n, 10_000);
    }

    /** The durability settings that decide what a commit costs: shown with every table. */
    public String settings() {
        if (db.is(Engine.SQLITE)) {
            return "journal_mode=" + dsl.fetchValue("pragma journal_mode") + ", synchronous="
                    + List.of("off", "normal", "full", "extra").get(((Number) dsl.fetchValue("pragma synchronous")).intValue())
                    + ", sqlite-jdbc " + org.sqlite.SQLiteJDBCLoader.getVersion();
        }
        return "fsync=" + dsl.fetchValue("show fsync") + ", synchronous_commit=" + dsl.fetchValue("show synchronous_commit")
                + ", server " + dsl.fetchValue("show server_version") + ", pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION;
    }

    @Override
    public void close() {
        factories.values().forEach(SessionFactory::close);
        if (rewriting != null) rewriting.close();
        db.close();
    }
}
