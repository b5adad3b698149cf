//SOURCES ../workbook/Workbook.java
//DESCRIPTION The Java twin of SQLAlchemy's performance suite (examples/performance), optionally run side by side with it

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.hibernate.ScrollMode;
import org.hibernate.ScrollableResults;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.jooq.BatchBindStep;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep2;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.postgresql.PGConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import workbook.Db;
import workbook.Engine;
import workbook.Workbook;
import workbook.WorkbookException;

@Command(name = "perf", mixinStandardHelpOptions = true,
        description = {"Runs the Java twin of SQLAlchemy's performance suite: the same suites, tables and rows,",
                "one Java test per SQLAlchemy test (plus a few Java-only paths), on SQLite or PostgreSQL.",
                "Each test runs after a warm-up; the table shows the median of the runs, the rows and the",
                "SQL statements sent (a JDBC batch counts as one), counted by datasource-proxy in the first",
                "run only, so that the proxy's cost is not timed. --compare also runs SQLAlchemy's own",
                "suite (from its PyPI source distribution) on the same database, and the native floor."},
        footer = {"", "SUITE is one of: bulk_inserts, bulk_updates, large_resultsets, short_selects, single_inserts.",
                "DBURL is a JDBC URL (default: jdbc:sqlite:db/perf.sqlite, under the workbook folder).", "",
                "Examples:", "  jbang perf@. bulk_inserts --num 100000",
                "  jbang perf@. short_selects --test test_core_reuse_stmt --runs 5",
                "  jbang perf@. bulk_inserts --num 20000 --compare --csv data/perf/bulk_inserts-sqlite.csv",
                "  jbang perf@. bulk_inserts --dburl \"jdbc:postgresql://localhost:5432/perf?user=me\" --compare"})
public class Perf implements Callable<Integer> {
    static final Map<String, Integer> DEFAULT_NUM = Map.of("bulk_inserts", 100_000, "bulk_updates", 100_000,
            "large_resultsets", 500_000, "short_selects", 10_000, "single_inserts", 10_000);

    @Parameters(index = "0", paramLabel = "SUITE", description = "suite to run")
    String suite;

    @Option(names = "--test", split = ",", paramLabel = "NAME", description = "run only these tests (comma-separated)")
    List<String> only;

    @Option(names = "--dburl", paramLabel = "URL", description = "JDBC URL of the database (default: db/perf.sqlite)")
    String dburl;

    @Option(names = "--num", paramLabel = "N", description = "rows or iterations (default: the suite's, as in SQLAlchemy)")
    Integer num;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "R", description = "measured runs per test; the median is shown (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "W", description = "unmeasured warm-up runs per test; the first run counts the statements (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--compare", description = "also run SQLAlchemy's own suite and the native floor, and print one table")
    boolean compare;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write the table as CSV to FILE")
    Path csv;

    @Option(names = "--list", description = "list the suite's tests (twin of SQLAlchemy's, Java only, PostgreSQL only) and exit")
    boolean list;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String... args) {
        System.exit(new CommandLine(new Perf()).execute(args));
    }

    // ---------------------------------------------------------------- the mapped classes

    /** The columns every mapping of the customer table shares; the subclasses differ in their keys only. */
    @jakarta.persistence.MappedSuperclass
    public abstract static class CustomerColumns {
        @Column(length = 255) String name;
        @Column(length = 255) String description;

        void set(int i) {
            name = name(i);
            description = description(i);
        }
    }

    /** SQLAlchemy's {@code Customer}: an identity key the database generates. */
    @Entity(name = "Customer")
    @jakarta.persistence.Table(name = "customer")
    public static class Customer extends CustomerColumns {
        @Id @GeneratedValue(strategy = GenerationType.IDENTITY) Integer id;

        public Customer() {}

        Customer(int i) {
            set(i);
        }
    }

    /** The same table with keys the application assigns ({@code test_flush_pk_given}). */
    @Entity(name = "CustomerPk")
    @jakarta.persistence.Table(name = "customer")
    public static class CustomerPk extends CustomerColumns {
        @Id Integer id;

        public CustomerPk() {}

        CustomerPk(int i) {
            id = i + 1;
            set(i);
        }
    }

    /** The same table with keys from a sequence, 1000 at a time (PostgreSQL): Hibernate can batch these. */
    @Entity(name = "CustomerSeq")
    @jakarta.persistence.Table(name = "customer")
    public static class CustomerSeq extends CustomerColumns {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "customer_seq")
        @jakarta.persistence.SequenceGenerator(name = "customer_seq", sequenceName = "customer_seq", allocationSize = 1000)
        Integer id;

        public CustomerSeq() {}

        CustomerSeq(int i) {
            set(i);
        }
    }

    /** short_selects' wider customer; x, y, z are deferred in SQLAlchemy, so they are left unmapped here. */
    @Entity(name = "WideCustomer")
    @jakarta.persistence.Table(name = "customer")
    public static class WideCustomer {
        @Id Integer id;
        String name;
        String description;
        Integer q;
        Integer p;
    }

    /** A plain row object: SQLAlchemy's Bundle / "SimpleCustomer". */
    public record CustomerRow(Integer id, String name, String description) {}

    static final Table<Record> CUSTOMER = DSL.table(DSL.name("customer"));
    static final Field<Integer> ID = DSL.field(DSL.name("id"), SQLDataType.INTEGER);
    static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.VARCHAR(255));
    static final Field<String> DESCRIPTION = DSL.field(DSL.name("description"), SQLDataType.VARCHAR(255));

    // ---------------------------------------------------------------- the run context

    /** Counts statements on every connection the tests use (pooled and raw); a batch is one statement. */
    static final class Counter implements QueryExecutionListener {
        final AtomicLong statements = new AtomicLong();

        @Override public void beforeQuery(ExecutionInfo info, List<QueryInfo> queries) {}

        @Override public void afterQuery(ExecutionInfo info, List<QueryInfo> queries) {
            statements.incrementAndGet();
        }
    }

    /** What a test gets: the database through every layer, all counted. */
    static final class Ctx implements AutoCloseable {
        final String url;
        final Engine kind;
        final Counter counter = new Counter();
        final Db db;
        final com.zaxxer.hikari.HikariDataSource hikari;
        final DataSource countedPool;
        final DataSource countedRaw;
        final DSLContext countedDsl;
        final DataSource plainRaw;
        final DSLContext plainDsl;
        final Map<String, SessionFactory> factories = new LinkedHashMap<>();
        // What the tests use: the counted variants (through datasource-proxy) in the run that counts
        // statements, the plain ones in the timed runs, so that the proxy's cost is never timed.
        boolean counting = true;
        DataSource pool;
        DataSource raw;
        DSLContext dsl;

        Ctx(String url) {
            this.url = url;
            this.db = Workbook.open(url);
            this.kind = db.engine();
            if (kind != Engine.SQLITE && kind != Engine.POSTGRESQL) {
                db.close();
                throw new WorkbookException("perf runs on SQLite or PostgreSQL: give a jdbc:sqlite: or jdbc:postgresql: URL");
            }
            com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(2);
            config.setPoolName("perf");
            this.hikari = new com.zaxxer.hikari.HikariDataSource(config);
            this.countedPool = ProxyDataSourceBuilder.create(hikari).listener(counter).build();
            this.countedRaw = ProxyDataSourceBuilder.create(unpooled(url)).listener(counter).build();
            this.countedDsl = jooq(countedPool);
            this.plainRaw = unpooled(url);
            this.plainDsl = jooq(hikari);
            counting(true);
        }

        DSLContext jooq(DataSource ds) {
            return DSL.using(ds, kind == Engine.SQLITE ? SQLDialect.SQLITE : SQLDialect.POSTGRES,
                    new Settings().withExecuteLogging(false).withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED));
        }

        /** Switches every layer to the counted (proxied) or the plain connections. */
        void counting(boolean on) {
            counting = on;
            pool = on ? countedPool : hikari;
            raw = on ? countedRaw : plainRaw;
            dsl = on ? countedDsl : plainDsl;
        }

        static DataSource unpooled(String url) {
            if (url.startsWith("jdbc:sqlite:")) {
                org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
                ds.setUrl(url);
                return ds;
            }
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(url);
            return ds;
        }

        /** A SessionFactory with JDBC batching of 1000 (SQLAlchemy's flush batches too), one per setting set. */
        SessionFactory orm(boolean planCache) {
            return factories.computeIfAbsent("plan-cache=" + planCache + (counting ? "-counted" : ""), key -> {
                HibernatePersistenceConfiguration config = new HibernatePersistenceConfiguration("perf-" + key)
                        .managedClasses(Customer.class, CustomerPk.class, WideCustomer.class)
                        .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, pool)
                        .property("hibernate.jdbc.batch_size", "1000")
                        .property("hibernate.order_inserts", "true")
                        .property("hibernate.query.plan_cache_enabled", Boolean.toString(planCache));
                if (kind == Engine.SQLITE) config.property(JdbcSettings.DIALECT, "org.hibernate.community.dialect.SQLiteDialect");
                if (kind == Engine.POSTGRESQL) config.managedClass(CustomerSeq.class);   // SQLite has no sequences
                return config.createEntityManagerFactory();
            });
        }

        void sql(String... statements) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                for (String sql : statements) s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        /** SQLAlchemy's drop_all + create_all for the three-column customer table. */
        void createCustomer() {
            if (kind == Engine.POSTGRESQL) sql("drop sequence if exists customer_seq", "create sequence customer_seq increment by 1000");
            sql("drop table if exists customer", kind == Engine.SQLITE
                    ? "create table customer (id integer not null primary key, name varchar(255), description varchar(255))"
                    : "create table customer (id integer generated by default as identity primary key, name varchar(255), description varchar(255))");
        }

        /** Fills customer with n rows (ids 1..n) through a JDBC batch, in chunks of 10000 as SQLAlchemy's setup does. */
        void fillCustomer(int n) {
            createCustomer();
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("insert into customer (name, description) values (?, ?)")) {
                c.setAutoCommit(false);
                for (int i = 0; i < n; i++) {
                    ps.setString(1, "customer name " + i);
                    ps.setString(2, "customer description " + i);
                    ps.addBatch();
                    if ((i + 1) % 10_000 == 0) ps.executeBatch();
                }
                ps.executeBatch();
                c.commit();
                c.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        /** The durability settings that decide what a commit costs: shown with every table. */
        String settings() {
            if (kind == Engine.SQLITE) {
                return "journal_mode=" + dsl.fetchValue("pragma journal_mode") + ", synchronous="
                        + List.of("off", "normal", "full", "extra").get(((Number) dsl.fetchValue("pragma synchronous")).intValue())
                        + ", sqlite-jdbc " + org.sqlite.SQLiteJDBCLoader.getVersion();
            }
            return "fsync=" + dsl.fetchValue("show fsync") + ", synchronous_commit=" + dsl.fetchValue("show synchronous_commit")
                    + ", server " + dsl.fetchValue("show server_version") + ", pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION;
        }

        int count(String sql) {
            return ((Number) dsl.fetchValue(sql)).intValue();
        }

        @Override
        public void close() {
            factories.values().forEach(SessionFactory::close);
            hikari.close();
            db.close();
        }
    }

    // ---------------------------------------------------------------- the tests

    interface Body {
        long run(Ctx ctx, int n) throws Exception;
    }

    /** One test: its SQLAlchemy twin has the same name; javaOnly tests have none. */
    record Case(String name, String doc, boolean javaOnly, boolean postgresOnly, Body body) {}

    static Case twin(String name, String doc, Body body) {
        return new Case(name, doc, false, false, body);
    }

    static Case extra(String name, String doc, Body body) {
        return new Case(name, doc, true, false, body);
    }

    static Case pgOnly(String name, String doc, Body body) {
        return new Case(name, doc, true, true, body);
    }

    static String name(int i) {
        return "customer name " + i;
    }

    static String description(int i) {
        return "customer description " + i;
    }

    /** What a suite does before each test (or once) and how it checks a test's work afterwards. */
    record Suite(String name, boolean setupOnce, java.util.function.BiConsumer<Ctx, Integer> setup,
                 Verifier verify, List<Case> cases) {}

    interface Verifier {
        void check(Ctx ctx, Case c, int n, long rows);
    }

    static void expect(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + " but found " + actual);
        }
    }

    static final Verifier INSERTED = (ctx, c, n, rows) -> {
        expect(c.name() + " rows reported", n, rows);
        expect(c.name() + " rows in customer", n, ctx.count("select count(*) from customer"));
    };

    static final Verifier READ = (ctx, c, n, rows) -> expect(c.name() + " rows read", n, rows);

    static Suite suite(String name) {
        switch (name) {
            case "bulk_inserts": return bulkInserts();
            case "bulk_updates": return bulkUpdates();
            case "large_resultsets": return largeResultsets();
            case "short_selects": return shortSelects();
            case "single_inserts": return singleInserts();
            default: return null;
        }
    }

    static Suite bulkInserts() {
        List<Case> cases = List.of(
                twin("test_flush_no_pk", "ORM: persist 1000 new objects, flush, clear; the database generates the keys", (ctx, n) -> flushInChunks(ctx, n, Customer::new)),
                twin("test_flush_pk_given", "ORM: persist 1000 new objects with keys given, flush, clear (JDBC batches)", (ctx, n) -> flushInChunks(ctx, n, CustomerPk::new)),
                twin("test_orm_bulk_insert", "ORM bulk: HQL insert ... values of 500 rows each, no objects returned", (ctx, n) -> {
                    try (StatelessSession s = ctx.orm(true).openStatelessSession()) {
                        s.beginTransaction();
                        for (int chunk = 0; chunk < n; chunk += 500) {
                            int size = Math.min(500, n - chunk);
                            var insert = s.createMutationQuery(multiRowHql(size));
                            for (int k = 0; k < size; k++) {
                                insert.setParameter(2 * k + 1, name(chunk + k));
                                insert.setParameter(2 * k + 2, description(chunk + k));
                            }
                            insert.executeUpdate();
                        }
                        s.getTransaction().commit();
                    }
                    return n;
                }),
                twin("test_orm_insert_returning", "ORM bulk: StatelessSession.insertMultiple, new objects get their keys", (ctx, n) -> {
                    List<Customer> all = new ArrayList<>(n);
                    try (StatelessSession s = ctx.orm(true).openStatelessSession()) {
                        s.beginTransaction();
                        for (int chunk = 0; chunk < n; chunk += 1000) {
                            List<Customer> batch = new ArrayList<>();
                            for (int i = chunk; i < Math.min(n, chunk + 1000); i++) batch.add(new Customer(i));
                            s.insertMultiple(batch);
                            all.addAll(batch);
                        }
                        s.getTransaction().commit();
                    }
                    expect("objects with keys", n, all.stream().filter(c -> c.id != null).count());
                    return n;
                }),
                twin("test_core_insert", "jOOQ: one insert bound n times, sent as one JDBC batch", (ctx, n) -> {
                    ctx.dsl.transaction(tx -> {
                        BatchBindStep batch = tx.dsl().batch(tx.dsl().insertInto(CUSTOMER, NAME, DESCRIPTION).values((String) null, null));
                        for (int i = 0; i < n; i++) batch.bind(name(i), description(i));
                        batch.execute();
                    });
                    return n;
                }),
                twin("test_dbapi_raw", "JDBC: PreparedStatement addBatch n times, executeBatch, commit", (ctx, n) -> jdbcBatch(ctx.raw, n)),
                extra("test_jooq_multirow_values", "jOOQ: insert ... values (...), (...) of 500 rows each", (ctx, n) -> {
                    ctx.dsl.transaction(tx -> {
                        for (int chunk = 0; chunk < n; chunk += 500) {
                            InsertValuesStep2<Record, String, String> insert = tx.dsl().insertInto(CUSTOMER, NAME, DESCRIPTION);
                            for (int i = chunk; i < Math.min(n, chunk + 500); i++) insert = insert.values(name(i), description(i));
                            insert.execute();
                        }
                    });
                    return n;
                }),
                extra("test_jooq_loader", "jOOQ Loader API: rows in JDBC batches of 1000, inside one transaction", (ctx, n) -> {
                    List<Object[]> rows = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) rows.add(new Object[] {name(i), description(i)});
                    var result = ctx.dsl.transactionResult(tx -> tx.dsl().loadInto(CUSTOMER).batchAfter(1000).commitNone()
                            .loadArrays(rows).fields(NAME, DESCRIPTION).execute());
                    if (!result.errors().isEmpty()) { Throwable t = result.errors().get(0).exception(); while (t.getCause() != null) t = t.getCause(); throw new IllegalStateException("Loader: " + t); }
                    return result.stored();
                }),
                pgOnly("test_flush_sequence", "ORM: as test_flush_no_pk, keys from a sequence 1000 at a time (JDBC batches)", (ctx, n) -> flushInChunks(ctx, n, CustomerSeq::new)),
                pgOnly("test_jdbc_rewrite_batched", "JDBC batch with pgjdbc's reWriteBatchedInserts=true (multi-row inserts)", (ctx, n) -> {
                    DataSource rewriting = Ctx.unpooled(withParam(ctx.url, "reWriteBatchedInserts=true"));
                    if (ctx.counting) rewriting = ProxyDataSourceBuilder.create(rewriting).listener(ctx.counter).build();
                    return jdbcBatch(rewriting, n);
                }),
                pgOnly("test_pg_copy", "PostgreSQL COPY customer FROM STDIN through pgjdbc's CopyManager", (ctx, n) -> {
                    StringBuilder text = new StringBuilder(n * 48);
                    for (int i = 0; i < n; i++) text.append(name(i)).append('\t').append(description(i)).append('\n');
                    try (Connection c = ctx.raw.getConnection()) {
                        if (ctx.counting) ctx.counter.statements.incrementAndGet();   // COPY bypasses the statement proxy
                        return c.unwrap(PGConnection.class).getCopyAPI()
                                .copyIn("copy customer (name, description) from stdin", new StringReader(text.toString()));
                    }
                }));
        return new Suite("bulk_inserts", false, (ctx, n) -> ctx.createCustomer(), INSERTED, cases);
    }

    /** Persists n new entities, flushing (one JDBC batch where Hibernate can) and clearing every 1000. */
    static long flushInChunks(Ctx ctx, int n, java.util.function.IntFunction<Object> entity) {
        try (Session s = ctx.orm(true).openSession()) {
            s.beginTransaction();
            for (int chunk = 0; chunk < n; chunk += 1000) {
                for (int i = chunk; i < Math.min(n, chunk + 1000); i++) s.persist(entity.apply(i));
                s.flush();
                s.clear();
            }
            s.getTransaction().commit();
        }
        return n;
    }

    /** n rows in one JDBC batch (addBatch n times, executeBatch once) and one commit. */
    static long jdbcBatch(DataSource ds, int n) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into customer (name, description) values (?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                ps.setString(1, name(i));
                ps.setString(2, description(i));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
        return n;
    }

    static String multiRowHql(int rows) {
        StringBuilder hql = new StringBuilder("insert into Customer (name, description) values ");
        for (int k = 0; k < rows; k++) hql.append(k == 0 ? "" : ", ").append("(?").append(2 * k + 1).append(", ?").append(2 * k + 2).append(')');
        return hql.toString();
    }

    static String withParam(String url, String param) {
        return url + (url.contains("?") ? "&" : "?") + param;
    }

    static Suite bulkUpdates() {
        Verifier updated = (ctx, c, n, rows) -> {
            expect(c.name() + " rows reported", n, rows);
            expect(c.name() + " rows updated", n, ctx.count("select count(*) from customer where description like '%updated'"));
        };
        List<Case> cases = List.of(
                twin("test_orm_flush", "ORM: load 1000 objects by key range, change each, flush (JDBC batches), clear", (ctx, n) -> {
                    long changed = 0;
                    try (Session s = ctx.orm(true).openSession()) {
                        s.beginTransaction();
                        for (int chunk = 0; chunk < n; chunk += 1000) {
                            List<Customer> customers = s.createSelectionQuery("from Customer where id between :lo and :hi", Customer.class)
                                    .setParameter("lo", chunk + 1).setParameter("hi", Math.min(n, chunk + 1000)).list();
                            for (Customer c : customers) c.description += "updated";
                            changed += customers.size();
                            s.flush();
                            s.clear();
                        }
                        s.getTransaction().commit();
                    }
                    return changed;
                }),
                extra("test_core_update_batch", "jOOQ: one update bound per row, sent as one JDBC batch", (ctx, n) -> {
                    ctx.dsl.transaction(tx -> {
                        BatchBindStep batch = tx.dsl().batch(tx.dsl().update(CUSTOMER)
                                .set(DESCRIPTION, (String) null).where(ID.eq((Integer) null)));
                        for (int i = 0; i < n; i++) batch.bind(description(i) + "updated", i + 1);
                        batch.execute();
                    });
                    return n;
                }),
                extra("test_core_one_update", "jOOQ: one UPDATE statement for all rows (what the database does best)", (ctx, n) ->
                        ctx.dsl.update(CUSTOMER).set(DESCRIPTION, DSL.concat(DESCRIPTION, DSL.inline("updated")))
                                .where(ID.le(n)).execute()));
        return new Suite("bulk_updates", false, (ctx, n) -> ctx.fillCustomer(n), updated, cases);
    }

    static Suite largeResultsets() {
        List<Case> cases = List.of(
                twin("test_orm_full_objects_list", "ORM: load n managed objects into one list", (ctx, n) -> {
                    try (Session s = ctx.orm(true).openSession()) {
                        return s.createSelectionQuery("from Customer", Customer.class).setMaxResults(n).list().size();
                    }
                }),
                twin("test_orm_full_objects_chunks", "ORM: scroll managed objects, fetch size 1000, clear every 1000 (yield_per)", (ctx, n) -> {
                    long rows = 0;
                    try (Session s = ctx.orm(true).openSession()) {
                        s.beginTransaction();   // PostgreSQL streams with a fetch size only inside a transaction
                        try (ScrollableResults<Customer> scroll = s.createSelectionQuery("from Customer", Customer.class)
                                .setMaxResults(n).setFetchSize(1000).scroll(ScrollMode.FORWARD_ONLY)) {
                            while (scroll.next()) {
                                scroll.get();
                                if (++rows % 1000 == 0) s.clear();
                            }
                        }
                        s.getTransaction().commit();
                    }
                    return rows;
                }),
                twin("test_orm_bundles", "ORM: rows into a record (select id, name, description as CustomerRow), streamed", (ctx, n) -> {
                    try (Session s = ctx.orm(true).openSession()) {
                        s.beginTransaction();
                        long rows = s.createSelectionQuery("select id, name, description from Customer", CustomerRow.class)
                                .setMaxResults(n).setFetchSize(10_000).getResultStream().count();
                        s.getTransaction().commit();
                        return rows;
                    }
                }),
                twin("test_orm_columns", "ORM: rows as Object[] columns, streamed", (ctx, n) -> {
                    long rows = 0;
                    try (Session s = ctx.orm(true).openSession()) {
                        s.beginTransaction();
                        try (var stream = s.createSelectionQuery("select id, name, description from Customer", Object[].class)
                                .setMaxResults(n).setFetchSize(10_000).getResultStream()) {
                            for (var it = stream.iterator(); it.hasNext(); ) {
                                Object[] row = it.next();
                                if (row[0] != null) rows++;
                            }
                        }
                        s.getTransaction().commit();
                    }
                    return rows;
                }),
                twin("test_core_fetchall", "jOOQ: fetch() all rows into a Result, read each value", (ctx, n) -> {
                    long rows = 0;
                    for (Record3<Integer, String, String> r : ctx.dsl.select(ID, NAME, DESCRIPTION).from(CUSTOMER).limit(n).fetch()) {
                        if (r.value1() != null && r.value2() != null && r.value3() != null) rows++;
                    }
                    return rows;
                }),
                twin("test_core_fetchall_mapping", "jOOQ: fetchMaps(), read each value by name", (ctx, n) -> {
                    long rows = 0;
                    for (Map<String, Object> m : ctx.dsl.select(ID, NAME, DESCRIPTION).from(CUSTOMER).limit(n).fetchMaps()) {
                        if (m.get("id") != null && m.get("name") != null && m.get("description") != null) rows++;
                    }
                    return rows;
                }),
                twin("test_core_fetchmany_w_streaming", "jOOQ: fetchLazy() with fetch size 10000 (a server-side cursor), 10000 at a time", (ctx, n) ->
                        ctx.dsl.transactionResult(tx -> fetchMany(tx.dsl().select(ID, NAME, DESCRIPTION).from(CUSTOMER).limit(n).fetchSize(10_000)))),
                twin("test_core_fetchmany", "jOOQ: fetchLazy(), 10000 rows at a time", (ctx, n) ->
                        fetchMany(ctx.dsl.select(ID, NAME, DESCRIPTION).from(CUSTOMER).limit(n))),
                twin("test_dbapi_fetchall_plus_append_objects", "JDBC: ResultSet into a list of records", (ctx, n) -> {
                    List<CustomerRow> list = new ArrayList<>();
                    try (Connection c = ctx.raw.getConnection(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("select id, name, description from customer limit " + n)) {
                        while (rs.next()) list.add(new CustomerRow(rs.getInt(1), rs.getString(2), rs.getString(3)));
                    }
                    return list.size();
                }),
                twin("test_dbapi_fetchall_no_object", "JDBC: ResultSet, read each value, make no objects", (ctx, n) -> {
                    long rows = 0;
                    try (Connection c = ctx.raw.getConnection(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("select id, name, description from customer limit " + n)) {
                        while (rs.next()) {
                            rs.getInt(1);
                            if (rs.getString(2) != null && rs.getString(3) != null) rows++;
                        }
                    }
                    return rows;
                }));
        return new Suite("large_resultsets", true, (ctx, n) -> ctx.fillCustomer(n), READ, cases);
    }

    static long fetchMany(ResultQuery<Record3<Integer, String, String>> query) {
        long rows = 0;
        try (Cursor<Record3<Integer, String, String>> cursor = query.fetchLazy()) {
            while (cursor.hasNext()) {
                for (Record3<Integer, String, String> r : cursor.fetchNext(10_000)) {
                    if (r.value1() != null && r.value2() != null && r.value3() != null) rows++;
                }
            }
        }
        return rows;
    }

    static final int SHORT_IDS = 10_999;   // SQLAlchemy: ids = range(1, 11000)

    /** The ids to look up: n distinct ids from 1..10999, a seeded sample (SQLAlchemy: random.sample). */
    static List<Integer> sample(int n) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= SHORT_IDS; i++) ids.add(i);
        Collections.shuffle(ids, new Random(42));
        return ids.subList(0, Math.min(n, SHORT_IDS));
    }

    static long ormClassic(Ctx ctx, int n, boolean cache) {
        try (Session s = ctx.orm(cache).openSession()) {
            long rows = 0;
            for (int id : sample(n)) {
                WideCustomer c = s.createSelectionQuery("from WideCustomer where id = :id", WideCustomer.class)
                        .setParameter("id", id).getSingleResult();
                if (c.id == id) rows++;
            }
            return rows;
        }
    }

    static long ormCriteria(Ctx ctx, int n, boolean cache) {
        try (Session s = ctx.orm(cache).openSession()) {
            CriteriaBuilder cb = s.getCriteriaBuilder();
            long rows = 0;
            for (int id : sample(n)) {
                CriteriaQuery<WideCustomer> q = cb.createQuery(WideCustomer.class);
                Root<WideCustomer> c = q.from(WideCustomer.class);
                q.select(c).where(cb.equal(c.get("id"), id));
                if (s.createQuery(q).getSingleResult().id == id) rows++;
            }
            return rows;
        }
    }

    static long ormColumns(Ctx ctx, int n, boolean cache) {
        try (Session s = ctx.orm(cache).openSession()) {
            long rows = 0;
            for (int id : sample(n)) {
                Object[] row = s.createSelectionQuery("select id, name, description from WideCustomer where id = :id", Object[].class)
                        .setParameter("id", id).getSingleResult();
                if (((Integer) row[0]) == id) rows++;
            }
            return rows;
        }
    }

    static Suite shortSelects() {
        List<Case> cases = List.of(
                twin("test_orm_query_classic_style", "ORM: HQL query of the full entity, query plan cache off", (ctx, n) -> ormClassic(ctx, n, false)),
                twin("test_orm_query_classic_style_w_cache", "ORM: HQL query of the full entity, query plan cache on (default)", (ctx, n) -> ormClassic(ctx, n, true)),
                twin("test_orm_query_new_style", "ORM: criteria query of the full entity, plan cache off", (ctx, n) -> ormCriteria(ctx, n, false)),
                twin("test_orm_query_new_style_cache", "ORM: criteria query of the full entity, plan cache on", (ctx, n) -> ormCriteria(ctx, n, true)),
                twin("test_orm_query_classic_style_cols_only", "ORM: HQL query of three columns, plan cache off", (ctx, n) -> ormColumns(ctx, n, false)),
                twin("test_orm_query_classic_style_cols_only_cache", "ORM: HQL query of three columns, plan cache on", (ctx, n) -> ormColumns(ctx, n, true)),
                twin("test_core_new_stmt_each_time", "jOOQ: build, render, prepare and run a new select each time", (ctx, n) -> {
                    long rows = 0;
                    for (int id : sample(n)) {
                        Record r = ctx.dsl.select().from(CUSTOMER).where(ID.eq(id)).fetchOne();
                        if (((Number) r.get(0)).intValue() == id) rows++;
                    }
                    return rows;
                }),
                twin("test_core_new_stmt_each_time_compiled_cache", "jOOQ: SQL rendered once and kept as a string; prepared and run each time", (ctx, n) -> {
                    String sql = ctx.dsl.render(ctx.dsl.select().from(CUSTOMER).where(ID.eq(0)));
                    long rows = 0;
                    for (int id : sample(n)) {
                        Record r = ctx.dsl.fetchOne(sql, id);
                        if (((Number) r.get(0)).intValue() == id) rows++;
                    }
                    return rows;
                }),
                twin("test_core_reuse_stmt", "jOOQ: one query object, bind a new id each time (rendered and prepared each time)", (ctx, n) -> {
                    ResultQuery<Record> query = ctx.dsl.select().from(CUSTOMER).where(ID.eq(DSL.param("id", 0)));
                    long rows = 0;
                    for (int id : sample(n)) {
                        Record r = query.bind("id", id).fetchOne();
                        if (((Number) r.get(0)).intValue() == id) rows++;
                    }
                    return rows;
                }),
                twin("test_core_reuse_stmt_compiled_cache", "jOOQ: one query object with keepStatement(true): one PreparedStatement reused", (ctx, n) -> {
                    long rows = 0;
                    var query = ctx.dsl.select().from(CUSTOMER).where(ID.eq(DSL.param("id", 0))).keepStatement(true);
                    try {
                        for (int id : sample(n)) {
                            Record r = query.bind("id", id).fetchOne();
                            if (((Number) r.get(0)).intValue() == id) rows++;
                        }
                    } finally {
                        query.close();   // a kept statement stays open until closed
                    }
                    return rows;
                }),
                extra("test_jdbc_reuse_prepared_statement", "JDBC: SQL rendered once by jOOQ, one PreparedStatement reused (the jOOQ manual's advice)", (ctx, n) -> {
                    String sql = ctx.dsl.render(ctx.dsl.select().from(CUSTOMER).where(ID.eq(0)));
                    long rows = 0;
                    try (Connection c = ctx.pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int id : sample(n)) {
                            ps.setInt(1, id);
                            try (ResultSet rs = ps.executeQuery()) {
                                if (rs.next()) {
                                    Object[] row = new Object[rs.getMetaData().getColumnCount()];
                                    for (int i = 0; i < row.length; i++) row[i] = rs.getObject(i + 1);
                                    if (((Number) row[0]).intValue() == id) rows++;
                                }
                            }
                        }
                    }
                    return rows;
                }));
        java.util.function.BiConsumer<Ctx, Integer> setup = (ctx, n) -> {
            if (n > SHORT_IDS) throw new WorkbookException("short_selects looks up distinct ids from 1.." + SHORT_IDS + ": use --num " + SHORT_IDS + " or less");
            ctx.sql("drop table if exists customer",
                    "create table customer (id integer not null primary key, name varchar(255), description varchar(255),"
                            + " q integer, p integer, x integer, y integer, z integer)");
            ctx.dsl.transaction(tx -> {
                BatchBindStep batch = tx.dsl().batch("insert into customer (id, name, description, q, p, x, y) values (?, ?, ?, ?, ?, ?, ?)");
                for (int i = 1; i <= SHORT_IDS; i++) batch.bind(i, "c" + i, "c" + i, i * 10, i * 20, i * 30, i * 40);
                batch.execute();
            });
        };
        return new Suite("short_selects", true, setup, READ, cases);
    }

    static Suite singleInserts() {
        String insert = "insert into customer (name, description) values (?, ?)";
        List<Case> cases = List.of(
                twin("test_orm_commit", "ORM: a new Session per row: persist, commit", (ctx, n) -> {
                    SessionFactory sf = ctx.orm(true);
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        sf.inTransaction(s -> s.persist(new Customer(k)));
                    }
                    return n;
                }),
                twin("test_bulk_save", "ORM: a StatelessSession per row: insert, commit", (ctx, n) -> {
                    SessionFactory sf = ctx.orm(true);
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        sf.inStatelessTransaction(s -> s.insert(new Customer(k)));
                    }
                    return n;
                }),
                twin("test_bulk_insert_dictionaries", "ORM: a StatelessSession per row: HQL insert with parameters (no object), commit", (ctx, n) -> {
                    SessionFactory sf = ctx.orm(true);
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        sf.inStatelessTransaction(s -> s.createMutationQuery("insert into Customer (name, description) values (:name, :description)")
                                .setParameter("name", name(k)).setParameter("description", description(k)).executeUpdate());
                    }
                    return n;
                }),
                twin("test_core", "jOOQ: a transaction per row, a new insert built each time", (ctx, n) -> {
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        ctx.dsl.transaction(tx -> tx.dsl().insertInto(CUSTOMER, NAME, DESCRIPTION).values(name(k), description(k)).execute());
                    }
                    return n;
                }),
                twin("test_core_query_caching", "jOOQ: a transaction per row, SQL rendered once and reused", (ctx, n) -> {
                    String sql = ctx.dsl.render(ctx.dsl.insertInto(CUSTOMER, NAME, DESCRIPTION).values("", ""));
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        ctx.dsl.transaction(tx -> tx.dsl().execute(sql, name(k), description(k)));
                    }
                    return n;
                }),
                twin("test_dbapi_raw_w_connect", "JDBC: a new (unpooled) connection per row: prepare, execute, commit, close", (ctx, n) -> {
                    for (int i = 0; i < n; i++) {
                        try (Connection c = ctx.raw.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
                            c.setAutoCommit(false);
                            ps.setString(1, name(i));
                            ps.setString(2, description(i));
                            ps.executeUpdate();
                            c.commit();
                        }
                    }
                    return n;
                }),
                twin("test_dbapi_raw_w_pool", "JDBC: a pooled connection (HikariCP) per row: prepare, execute, commit, close", (ctx, n) -> {
                    for (int i = 0; i < n; i++) {
                        try (Connection c = ctx.pool.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
                            c.setAutoCommit(false);
                            ps.setString(1, name(i));
                            ps.setString(2, description(i));
                            ps.executeUpdate();
                            c.commit();
                            c.setAutoCommit(true);
                        }
                    }
                    return n;
                }));
        return new Suite("single_inserts", false, (ctx, n) -> ctx.createCustomer(), INSERTED, cases);
    }

    // ---------------------------------------------------------------- running and reporting

    /** One line of the result table. */
    record Line(String test, String doc, long rows, long statements, Double javaSeconds, Double pythonSeconds, String pythonSource) {}

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    @Override
    public Integer call() {
        Suite s = suite(suite);
        if (s == null) {
            System.err.println("error: Unknown suite '" + suite
                    + "': use one of bulk_inserts, bulk_updates, large_resultsets, short_selects, single_inserts");
            return 1;
        }
        if (list) {
            for (Case c : s.cases()) {
                System.out.printf(Locale.ROOT, "%-44s %-15s %s%n", c.name(),
                        c.postgresOnly() ? "postgresql-only" : c.javaOnly() ? "java-only" : "twin", c.doc());
            }
            return 0;
        }
        if (runs < 1 || warmup < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be 1 or more and --warmup 0 or more");
        int n = num != null ? num : DEFAULT_NUM.get(suite);
        if (n < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--num must be 1 or more");
        String url = dburl != null ? dburl : "jdbc:sqlite:" + Workbook.home().resolve("db").resolve("perf.sqlite");
        try {
            if (url.startsWith("jdbc:sqlite:")) Files.createDirectories(Workbook.home().resolve("db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Ctx ctx = new Ctx(url)) {
            List<Case> cases = new ArrayList<>();
            for (Case c : s.cases()) {
                if (c.postgresOnly() && ctx.kind != Engine.POSTGRESQL) continue;
                if (only == null || only.contains(c.name())) cases.add(c);
            }
            if (only != null) {
                for (String name : only) {
                    if (s.cases().stream().noneMatch(c -> c.name().equals(name))) {
                        throw new WorkbookException("No test " + name + " in " + suite + ": the tests are "
                                + s.cases().stream().map(Case::name).collect(Collectors.joining(", ")));
                    }
                }
                if (cases.isEmpty()) throw new WorkbookException("The tests asked for run on PostgreSQL only");
            }
            System.out.printf(Locale.ROOT, "%s on %s: %d rows, median of %d run%s after %d warm-up%s%n", suite,
                    ctx.kind == Engine.SQLITE ? "SQLite" : "PostgreSQL", n, runs, runs == 1 ? "" : "s", warmup, warmup == 1 ? "" : "s");
            System.out.println("settings: " + ctx.settings());
            if (s.setupOnce()) s.setup().accept(ctx, n);
            List<Line> lines = new ArrayList<>();
            Python python = compare ? new Python(ctx) : null;
            for (Case c : cases) {
                List<Double> times = new ArrayList<>();
                long rows = 0;
                long statements = 0;
                for (int r = 0; r < warmup + runs; r++) {
                    // The first run counts the statements (through the proxy); the others run plain.
                    ctx.counting(true);
                    if (!s.setupOnce()) s.setup().accept(ctx, n);
                    ctx.counting(r == 0);
                    ctx.orm(true);    // Hibernate boots outside the measured part (and its metadata queries are not counted)
                    ctx.orm(false);
                    System.gc();
                    long before = ctx.counter.statements.get();
                    long start = System.nanoTime();
                    rows = c.body().run(ctx, n);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (r == 0) statements = ctx.counter.statements.get() - before;
                    ctx.counting(true);
                    s.verify().check(ctx, c, n, rows);
                    if (r >= warmup) times.add(seconds);
                }
                Double py = null;
                String source = null;
                if (python != null && !c.javaOnly()) {
                    py = python.sqlalchemy(suite, c.name(), n, warmup, runs);
                    source = "SQLAlchemy";
                }
                Line line = new Line(c.name(), c.doc(), rows, statements, median(times), py, source);
                lines.add(line);
                System.out.printf(Locale.ROOT, "  %-44s %9.3f s  %7d statements%s%n", c.name(), line.javaSeconds(), statements,
                        py == null ? "" : String.format(Locale.ROOT, "   (SQLAlchemy %.3f s)", py));
            }
            if (python != null && suite.equals("bulk_inserts") && only == null) {
                for (Map.Entry<String, Double> floor : python.nativeFloor(n, warmup, runs).entrySet()) {
                    lines.add(new Line(floor.getKey(), "native floor", n, 0, null, floor.getValue(), "native"));
                }
            }
            System.out.println();
            System.out.print(table(suite, ctx.kind, n, lines, compare));
            if (csv != null) writeCsv(csv, suite, ctx.kind, n, lines);
            return 0;
        } catch (WorkbookException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    static String table(String suite, Engine kind, int n, List<Line> lines, boolean compare) {
        StringBuilder out = new StringBuilder();
        if (compare) {
            out.append(String.format(Locale.ROOT, "| %-44s | %10s | %10s | %9s | %10s |%n", "test", "SQLAlchemy", "Java", "ratio", "statements"));
            out.append(String.format(Locale.ROOT, "|%s|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(12), "-".repeat(12), "-".repeat(11), "-".repeat(12)));
            for (Line l : lines) {
                String py = l.pythonSeconds() == null ? "" : String.format(Locale.ROOT, "%.3f s", l.pythonSeconds());
                String java = l.javaSeconds() == null ? "" : String.format(Locale.ROOT, "%.3f s", l.javaSeconds());
                String ratio = l.pythonSeconds() == null || l.javaSeconds() == null ? ""
                        : String.format(Locale.ROOT, "%.2f×", l.pythonSeconds() / l.javaSeconds());
                String statements = l.javaSeconds() == null ? "" : Long.toString(l.statements());
                out.append(String.format(Locale.ROOT, "| %-44s | %10s | %10s | %9s | %10s |%n", l.test(), py, java, ratio, statements));
            }
            out.append("ratio = SQLAlchemy time / Java time (above 1: Java is faster). Native floor rows are Python's own driver.\n");
        } else {
            out.append(String.format(Locale.ROOT, "| %-44s | %10s | %10s | %10s |%n", "test", "Java", "rows", "statements"));
            out.append(String.format(Locale.ROOT, "|%s|%s|%s|%s|%n", "-".repeat(46), "-".repeat(12), "-".repeat(12), "-".repeat(12)));
            for (Line l : lines) {
                out.append(String.format(Locale.ROOT, "| %-44s | %8.3f s | %10d | %10d |%n", l.test(), l.javaSeconds(), l.rows(), l.statements()));
            }
        }
        return out.toString();
    }

    static void writeCsv(Path file, String suite, Engine kind, int n, List<Line> lines) {
        StringBuilder out = new StringBuilder("suite,database,num,test,java_seconds,sqlalchemy_seconds,statements,description\n");
        for (Line l : lines) {
            out.append(String.join(",", suite, kind == Engine.SQLITE ? "sqlite" : "postgresql", Integer.toString(n), l.test(),
                    l.javaSeconds() == null ? "" : String.format(Locale.ROOT, "%.4f", l.javaSeconds()),
                    l.pythonSeconds() == null ? "" : String.format(Locale.ROOT, "%.4f", l.pythonSeconds()),
                    l.javaSeconds() == null ? "" : Long.toString(l.statements()),
                    "\"" + l.doc().replace("\"", "\"\"") + "\"")).append('\n');
        }
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WorkbookException("Cannot write " + file + " (" + e.getMessage() + "): check the folder", e);
        }
    }

    // ---------------------------------------------------------------- SQLAlchemy's side

    /** Runs tools/perf_compare.py with the workbook's Python: SQLAlchemy's suite and the native floor. */
    static final class Python {
        final Ctx ctx;
        final String python;
        final Path script = Workbook.home().resolve("tools").resolve("perf_compare.py");

        Python(Ctx ctx) {
            this.ctx = ctx;
            Path venv = Workbook.home().resolve(".venv").resolve("bin").resolve("python");
            this.python = Files.isExecutable(venv) ? venv.toString() : "python3";
            call("setup");
        }

        double sqlalchemy(String suite, String test, int n, int warmup, int runs) {
            return Double.parseDouble(call("sqlalchemy", suite, test, ctx.url, Integer.toString(n), Integer.toString(warmup), Integer.toString(runs)).strip());
        }

        Map<String, Double> nativeFloor(int n, int warmup, int runs) {
            Map<String, Double> floor = new LinkedHashMap<>();
            for (String line : call("native", ctx.url, Integer.toString(n), Integer.toString(warmup), Integer.toString(runs)).strip().split("\n")) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 2) floor.put(parts[0], Double.parseDouble(parts[1]));
            }
            return floor;
        }

        String call(String... args) {
            List<String> command = new ArrayList<>(List.of(python, script.toString()));
            command.addAll(Arrays.asList(args));
            try {
                Process p = new ProcessBuilder(command).directory(Workbook.home().toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new WorkbookException("The SQLAlchemy side failed (" + String.join(" ", args.length > 0 ? args[0] : "")
                            + "): see its message above; python3 workbook.py install sets up the environment");
                }
                return out;
            } catch (IOException e) {
                throw new WorkbookException("Cannot run " + python + " (" + e.getMessage() + "): run python3 workbook.py install first", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkbookException("Interrupted", e);
            }
        }
    }
}
