package perf;

import static perf.Case.twin;
import static perf.Customers.CUSTOMER;
import static perf.Customers.DESCRIPTION;
import static perf.Customers.INSERT;
import static perf.Customers.NAME;
import static perf.Customers.description;
import static perf.Customers.name;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.hibernate.SessionFactory;
import perf.Customers.Customer;

/** single_inserts: n rows, each in a transaction of its own (what a web request per row does). */
final class SingleInserts {
    private SingleInserts() {}

    static Suite suite() {
        List<Case> cases = List.of(
                twin("test_orm_commit", "ORM: a new Session per row: persist, commit", (ctx, n) -> {
                    SessionFactory sf = ctx.orm(true);
                    return eachRow(n, i -> sf.inTransaction(s -> s.persist(new Customer(i))));
                }),
                twin("test_bulk_save", "ORM: a StatelessSession per row: insert, commit", (ctx, n) -> {
                    SessionFactory sf = ctx.orm(true);
                    return eachRow(n, i -> sf.inStatelessTransaction(s -> s.insert(new Customer(i))));
                }),
                twin("test_bulk_insert_dictionaries", "ORM: a StatelessSession per row: HQL insert with parameters (no object), commit", (ctx, n) -> {
                    SessionFactory sf = ctx.orm(true);
                    return eachRow(n, i -> sf.inStatelessTransaction(s -> s.createMutationQuery("insert into Customer (name, description) values (:name, :description)")
                            .setParameter("name", name(i)).setParameter("description", description(i)).executeUpdate()));
                }),
                twin("test_core", "jOOQ: a transaction per row, a new insert built each time", (ctx, n) ->
                        eachRow(n, i -> ctx.dsl.transaction(tx -> tx.dsl().insertInto(CUSTOMER, NAME, DESCRIPTION).values(name(i), description(i)).execute()))),
                twin("test_core_query_caching", "jOOQ: a transaction per row, SQL rendered once and reused", (ctx, n) -> {
                    String sql = ctx.dsl.render(ctx.dsl.insertInto(CUSTOMER, NAME, DESCRIPTION).values("", ""));
                    return eachRow(n, i -> ctx.dsl.transaction(tx -> tx.dsl().execute(sql, name(i), description(i))));
                }),
                twin("test_dbapi_raw_w_connect", "JDBC: a new (unpooled) connection per row: prepare, execute, commit, close", (ctx, n) -> eachRow(n, i -> {
                    try (Connection c = ctx.raw.getConnection()) {
                        insertAndCommit(c, i);
                    }
                })),
                twin("test_dbapi_raw_w_pool", "JDBC: a pooled connection (HikariCP) per row: prepare, execute, commit, close", (ctx, n) -> eachRow(n, i -> {
                    try (Connection c = ctx.pool.getConnection()) {
                        insertAndCommit(c, i);
                        c.setAutoCommit(true);   // as the pool found it
                    }
                })));
        return new Suite(10_000, false, (ctx, n) -> ctx.createCustomer(), Suite.INSERTED, cases);
    }

    /** One row's work: row i in a transaction of its own. */
    interface Row {
        void insert(int i) throws Exception;
    }

    static long eachRow(int n, Row row) throws Exception {
        for (int i = 0; i < n; i++) row.insert(i);
        return n;
    }

    static void insertAndCommit(Connection c, int i) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, name(i));
            ps.setString(2, description(i));
            ps.executeUpdate();
        }
        c.commit();
    }
}
