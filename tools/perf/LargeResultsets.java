package perf;

import static perf.Case.twin;
import static perf.Customers.CUSTOMER;
import static perf.Customers.DESCRIPTION;
import static perf.Customers.ID;
import static perf.Customers.NAME;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.ScrollMode;
import org.hibernate.ScrollableResults;
import org.hibernate.Session;
import org.jooq.Cursor;
import org.jooq.Record3;
import org.jooq.ResultQuery;
import perf.Customers.Customer;
import perf.Customers.CustomerRow;

/** large_resultsets: read n rows of customer, filled once before the tests, in one query. */
final class LargeResultsets {
    private LargeResultsets() {}

    static Suite suite() {
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
        return new Suite(500_000, true, (ctx, n) -> ctx.fillCustomer(n), Suite.READ, cases);
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
}
