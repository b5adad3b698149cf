package perf;

import static perf.Case.extra;
import static perf.Case.twin;
import static perf.Customers.CUSTOMER;
import static perf.Customers.ID;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.hibernate.Session;
import org.jooq.BatchBindStep;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;
import perf.Customers.WideCustomer;
import workbook.WorkbookException;

/** short_selects: n lookups of one customer by key, each its own query. */
final class ShortSelects {
    private ShortSelects() {}

    static final int SHORT_IDS = 10_999;   // SQLAlchemy: ids = range(1, 11000)

    static Suite suite() {
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
        return new Suite(10_000, true, ShortSelects::setup, Suite.READ, cases);
    }

    /** SQLAlchemy's setup: 10999 wide customers, whatever n is. */
    static void setup(RunContext ctx, int n) {
        if (n > SHORT_IDS) throw new WorkbookException("short_selects looks up distinct ids from 1.." + SHORT_IDS + ": use --num " + SHORT_IDS + " or less");
        ctx.sql("drop table if exists customer",
                "create table customer (id integer not null primary key, name varchar(255), description varchar(255),"
                        + " q integer, p integer, x integer, y integer, z integer)");
        ctx.dsl.transaction(tx -> {
            BatchBindStep batch = tx.dsl().batch("insert into customer (id, name, description, q, p, x, y) values (?, ?, ?, ?, ?, ?, ?)");
            for (int i = 1; i <= SHORT_IDS; i++) batch.bind(i, "c" + i, "c" + i, i * 10, i * 20, i * 30, i * 40);
            batch.execute();
        });
    }

    /** The ids to look up: n distinct ids from 1..10999, a seeded sample (SQLAlchemy: random.sample). */
    static List<Integer> sample(int n) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= SHORT_IDS; i++) ids.add(i);
        Collections.shuffle(ids, new Random(42));
        return ids.subList(0, Math.min(n, SHORT_IDS));
    }

    static long ormClassic(RunContext ctx, int n, boolean cache) {
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

    static long ormCriteria(RunContext ctx, int n, boolean cache) {
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

    static long ormColumns(RunContext ctx, int n, boolean cache) {
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
}
