package perf;

import static perf.Customers.CUSTOMER;

import java.util.List;

/**
 * A suite: its default number of rows (SQLAlchemy's), what it does before each test (or once,
 * before all), how it checks a test's work afterwards, and its tests.
 */
public record Suite(int defaultNum, boolean setupOnce, Setup setup, Verifier verify, List<Case> cases) {

    /** The suite of that name, or null. */
    public static Suite named(String name) {
        return switch (name) {
            case "bulk_inserts" -> BulkInserts.suite();
            case "bulk_updates" -> BulkUpdates.suite();
            case "large_resultsets" -> LargeResultsets.suite();
            case "short_selects" -> ShortSelects.suite();
            case "single_inserts" -> SingleInserts.suite();
            default -> null;
        };
    }

    /** Prepares the tables for n rows. */
    public interface Setup {
        void prepare(RunContext ctx, int n) throws Exception;
    }

    /** Checks a test's work: the tool exits 1 when a test stored or read other rows than asked. */
    public interface Verifier {
        void check(RunContext ctx, Case c, int n, long rows);
    }

    static void expect(String what, long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + ": expected " + expected + " but found " + actual);
        }
    }

    static final Verifier INSERTED = (ctx, c, n, rows) -> {
        expect(c.name() + " rows reported", n, rows);
        expect(c.name() + " rows in customer", n, ctx.dsl.fetchCount(CUSTOMER));
    };

    static final Verifier READ = (ctx, c, n, rows) -> expect(c.name() + " rows read", n, rows);
}
