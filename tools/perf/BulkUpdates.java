package perf;

import static perf.Case.extra;
import static perf.Case.twin;
import static perf.Customers.CUSTOMER;
import static perf.Customers.DESCRIPTION;
import static perf.Customers.ID;
import static perf.Customers.description;

import java.util.List;
import org.hibernate.Session;
import org.jooq.BatchBindStep;
import org.jooq.impl.DSL;
import perf.Customers.Customer;

/** bulk_updates: change the description of n existing customers, in one transaction. */
final class BulkUpdates {
    private BulkUpdates() {}

    static Suite suite() {
        Suite.Verifier updated = (ctx, c, n, rows) -> {
            Suite.expect(c.name() + " rows reported", n, rows);
            Suite.expect(c.name() + " rows updated", n, ctx.dsl.fetchCount(CUSTOMER, DESCRIPTION.like("%updated")));
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
        return new Suite(100_000, false, (ctx, n) -> ctx.fillCustomer(n), updated, cases);
    }
}
