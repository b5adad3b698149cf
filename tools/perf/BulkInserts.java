package perf;

import static perf.Case.extra;
import static perf.Case.pgOnly;
import static perf.Case.twin;
import static perf.Customers.CUSTOMER;
import static perf.Customers.DESCRIPTION;
import static perf.Customers.INSERT;
import static perf.Customers.NAME;
import static perf.Customers.description;
import static perf.Customers.name;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.StatelessSession;
import org.jooq.BatchBindStep;
import org.jooq.InsertValuesStep2;
import org.jooq.Record;
import org.postgresql.PGConnection;
import perf.Customers.Customer;
import perf.Customers.CustomerPk;
import perf.Customers.CustomerSeq;

/** bulk_inserts: n rows into an empty customer table in one transaction, by each layer's bulk path. */
final class BulkInserts {
    private BulkInserts() {}

    static Suite suite() {
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
                    Suite.expect("objects with keys", n, all.stream().filter(c -> c.id != null).count());
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
                twin("test_dbapi_raw", "JDBC: PreparedStatement addBatch n times, executeBatch, commit", (ctx, n) -> jdbcBatch(ctx.raw, n, n)),
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
                    if (!result.errors().isEmpty()) {
                        Throwable t = result.errors().get(0).exception();
                        while (t.getCause() != null) t = t.getCause();
                        throw new IllegalStateException("Loader: " + t);
                    }
                    return result.stored();
                }),
                pgOnly("test_flush_sequence", "ORM: as test_flush_no_pk, keys from a sequence 1000 at a time (JDBC batches)", (ctx, n) -> flushInChunks(ctx, n, CustomerSeq::new)),
                pgOnly("test_jdbc_rewrite_batched", "JDBC batch with pgjdbc's reWriteBatchedInserts=true (multi-row inserts)", (ctx, n) ->
                        jdbcBatch(ctx.rewriting.unpooledDataSource(ctx.counting), n, n)),
                pgOnly("test_pg_copy", "PostgreSQL COPY customer FROM STDIN through pgjdbc's CopyManager", (ctx, n) -> {
                    StringBuilder text = new StringBuilder(n * 48);
                    for (int i = 0; i < n; i++) text.append(name(i)).append('\t').append(description(i)).append('\n');
                    try (Connection c = ctx.raw.getConnection()) {
                        ctx.sentAroundProxy();   // COPY goes around the statement proxy: counted here
                        return c.unwrap(PGConnection.class).getCopyAPI()
                                .copyIn("copy customer (name, description) from stdin", new StringReader(text.toString()));
                    }
                }));
        return new Suite(100_000, false, (ctx, n) -> ctx.createCustomer(), Suite.INSERTED, cases);
    }

    /** Persists n new entities, flushing (one JDBC batch where Hibernate can) and clearing every 1000. */
    static long flushInChunks(RunContext ctx, int n, IntFunction<Object> entity) {
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

    /** n rows through JDBC batches of batchSize (addBatch per row, executeBatch per batch) and one commit. */
    static long jdbcBatch(DataSource ds, int n, int batchSize) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                ps.setString(1, name(i));
                ps.setString(2, description(i));
                ps.addBatch();
                if ((i + 1) % batchSize == 0 || i == n - 1) ps.executeBatch();
            }
            c.commit();
        }
        return n;
    }

    static String multiRowHql(int rows) {
        StringBuilder hql = new StringBuilder("insert into Customer (name, description) values ");
        for (int k = 0; k < rows; k++) hql.append(k == 0 ? "" : ", ").append("(?").append(2 * k + 1).append(", ?").append(2 * k + 2).append(')');
        return hql.toString();
    }
}
