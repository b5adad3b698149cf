package workbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record1;
import org.jooq.SelectConditionStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Concurrent writers on one database: threads that each run the same short transaction a fixed
 * number of times through the helper's pool and jOOQ, counted. What it measures is what a
 * concurrent application meets: transactions the database refused (SQLite's
 * {@code SQLITE_BUSY}, a deadlock, a lock timeout, a serialization failure) and updates that
 * were committed but lost (a read-then-update that wrote a stale value over another's).
 *
 * <p>Used by {@code jbang writers@.} and by chapter 10. It creates its own two tables,
 * {@code writers_counter} and {@code writers_log}, and refuses a database where they exist and it
 * did not make them.
 */
public final class Writers {

    /** The transaction each thread repeats. */
    public enum Workload {
        INSERT("insert one row"),
        READ_THEN_UPDATE("read n, then update n = read + 1"),
        LOCKED_READ_THEN_UPDATE("read n for update, then update"),
        ATOMIC_UPDATE("update n = n + 1");

        private final String description;

        Workload(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        boolean counts() {
            return this != INSERT;
        }
    }

    /**
     * One workload's outcome. {@code lostUpdates} is committed increments minus the counter's
     * final value (0 for the insert workload, where every committed row is counted instead);
     * {@code firstOtherError} is the first error that was not a refusal, or null.
     */
    public record Result(Workload workload, int attempted, int committed, int refused, int otherErrors,
                         int lostUpdates, long longestMillis, boolean stoppedEarly, String firstOtherError) {}

    private static final Name COUNTER = DSL.name("writers_counter");
    private static final Name LOG = DSL.name("writers_log");
    private static final Field<Integer> ID = DSL.field(DSL.name("id"), SQLDataType.INTEGER.notNull());
    private static final Field<Integer> N = DSL.field(DSL.name("n"), SQLDataType.INTEGER.notNull());
    private static final Field<Integer> THREAD = DSL.field(DSL.name("thread"), SQLDataType.INTEGER.notNull());
    private static final Field<Integer> SEQ = DSL.field(DSL.name("seq"), SQLDataType.INTEGER.notNull());

    private Writers() {}

    /**
     * Runs every workload in turn: {@code threads} threads, each running {@code transactions}
     * transactions, all starting together; a workload stops starting new transactions after
     * {@code limitSeconds} (then {@link Result#stoppedEarly()} is true).
     */
    public static List<Result> run(Db db, int threads, int transactions, int limitSeconds) {
        if (threads < 1 || transactions < 1 || limitSeconds < 1) {
            throw new WorkbookException("threads, transactions and seconds must be at least 1");
        }
        prepare(db.dsl());
        List<Result> results = new ArrayList<>();
        for (Workload w : Workload.values()) results.add(run(db, w, threads, transactions, limitSeconds));
        return results;
    }

    /**
     * Runs every workload on a SQLite file beside {@code sqlite}'s, {@code db/NAME-plain.sqlite},
     * opened with sqlite-jdbc's own defaults (rollback journal, deferred transactions) and only
     * {@code busy_timeout=5000} added: what a program that does not choose its settings gets, to
     * compare with the workbook's. The file is deleted before and after.
     */
    public static List<Result> runWithDriverDefaults(Db sqlite, int threads, int transactions, int limitSeconds) {
        if (!sqlite.is(Engine.SQLITE)) throw new WorkbookException("the driver-defaults comparison is for SQLite, not " + sqlite.engine().displayName());
        Path plain = Workbook.home().resolve("db").resolve(sqlite.toString().substring("sqlite:".length()) + "-plain.sqlite");
        deleteWithCompanions(plain);
        try (Db defaults = Workbook.open("jdbc:sqlite:" + plain + "?busy_timeout=5000")) {
            return run(defaults, threads, transactions, limitSeconds);
        } finally {
            deleteWithCompanions(plain);
        }
    }

    private static void deleteWithCompanions(Path file) {
        try {
            for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) Files.deleteIfExists(Path.of(file + suffix));
        } catch (IOException e) {
            throw new WorkbookException("cannot delete " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** The isolation level a new connection of the pool has, as SQL names it. */
    public static String isolation(Db db) {
        try (Connection c = db.connection()) {
            return switch (c.getTransactionIsolation()) {
                case Connection.TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
                case Connection.TRANSACTION_READ_COMMITTED -> "READ COMMITTED";
                case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
                case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
                default -> "none";
            };
        } catch (SQLException e) {
            throw new WorkbookException("cannot read the isolation level: " + e.getMessage(), e);
        }
    }

    /** Creates the two tables, dropping its own earlier ones and refusing a table of the same name it did not make. */
    private static void prepare(DSLContext dsl) {
        for (Name table : List.of(LOG, COUNTER)) {
            List<String> columns = columnsOf(dsl, table);
            if (columns == null) continue;
            List<String> ours = table == LOG ? List.of("thread", "seq") : List.of("id", "n");
            if (!columns.equals(ours)) {
                throw new WorkbookException("this database has a table " + table.last() + " that Writers did not create"
                        + " (columns " + columns + "): use a database of the workbook's own, such as sqlite:writers");
            }
        }
        dsl.dropTableIfExists(LOG).execute();
        dsl.dropTableIfExists(COUNTER).execute();
        dsl.createTable(COUNTER).column(ID).column(N).constraint(DSL.primaryKey(ID)).execute();
        dsl.createTable(LOG).column(THREAD).column(SEQ).constraint(DSL.primaryKey(THREAD, SEQ)).execute();
    }

    /** The lower-case column names of a table in the database's own schema, or null when there is none. */
    private static List<String> columnsOf(DSLContext dsl, Name table) {
        try {
            return java.util.Arrays.stream(dsl.selectFrom(DSL.table(table)).limit(0).fetch().fields())
                    .map(f -> f.getName().toLowerCase(Locale.ROOT)).toList();
        } catch (org.jooq.exception.DataAccessException e) {
            return null;
        }
    }

    private static Result run(Db db, Workload w, int threads, int transactions, int limitSeconds) {
        DSLContext dsl = db.dsl();
        int key = w.ordinal() + 1;
        if (w.counts()) dsl.insertInto(DSL.table(COUNTER), ID, N).values(key, 0).execute();
        boolean server = db.engine() != Engine.SQLITE;
        AtomicInteger attempted = new AtomicInteger(), committed = new AtomicInteger(), refused = new AtomicInteger(),
                other = new AtomicInteger();
        AtomicLong longest = new AtomicLong();
        AtomicReference<String> firstOther = new AtomicReference<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < transactions && System.nanoTime() < deadline; i++) {
                    int seq = i;
                    attempted.incrementAndGet();
                    long began = System.nanoTime();
                    try {
                        dsl.transaction(cfg -> {
                            DSLContext tx = DSL.using(cfg);
                            switch (w) {
                                case INSERT -> tx.insertInto(DSL.table(LOG), THREAD, SEQ).values(thread, seq).execute();
                                case ATOMIC_UPDATE -> tx.update(DSL.table(COUNTER)).set(N, N.plus(1)).where(ID.eq(key)).execute();
                                case READ_THEN_UPDATE, LOCKED_READ_THEN_UPDATE -> {
                                    SelectConditionStep<Record1<Integer>> read = tx.select(N).from(DSL.table(COUNTER)).where(ID.eq(key));
                                    // SQLite has no FOR UPDATE (jOOQ would render it and SQLite refuse it): there the
                                    // transaction's lock on the whole database plays its part.
                                    org.jooq.ResultQuery<Record1<Integer>> query = w == Workload.LOCKED_READ_THEN_UPDATE && server ? read.forUpdate() : read;
                                    int n = query.fetchOne(N);
                                    tx.update(DSL.table(COUNTER)).set(N, n + 1).where(ID.eq(key)).execute();
                                }
                            }
                        });
                        committed.incrementAndGet();
                        longest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), Math::max);
                    } catch (RuntimeException e) {
                        if (isRefusal(e)) {
                            refused.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                            firstOther.compareAndSet(null, Workbook.clean(Workbook.causes(e)) + ": " + Errors.shorten(String.valueOf(rootMessage(e))));
                        }
                    }
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(limitSeconds + 60L, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                throw new WorkbookException("writers did not finish within " + (limitSeconds + 60) + " s");
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new WorkbookException("interrupted", e);
        }
        int lost = 0;
        if (w.counts()) {
            int n = dsl.select(N).from(DSL.table(COUNTER)).where(ID.eq(key)).fetchOne(N);
            lost = committed.get() - n;
        } else {
            int rows = dsl.fetchCount(DSL.table(LOG));
            if (rows != committed.get()) {
                other.incrementAndGet();
                firstOther.compareAndSet(null, rows + " rows in writers_log for " + committed.get() + " committed inserts");
            }
        }
        return new Result(w, attempted.get(), committed.get(), refused.get(), other.get(), lost, longest.get(),
                attempted.get() < threads * transactions, firstOther.get());
    }

    /**
     * True when the database refused the transaction because of another one: SQLite's
     * SQLITE_BUSY (and its extended codes), a deadlock, a lock wait timeout, a serialization
     * failure, or MariaDB's "record has changed since last read".
     */
    public static boolean isRefusal(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                String state = s.getSQLState() == null ? "" : s.getSQLState();
                int code = s.getErrorCode();
                String message = String.valueOf(s.getMessage());
                if (message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED")) return true;
                if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) return true;
                if (code == 1205 || code == 1213 || code == 1020) return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root.getMessage();
    }

    /** The results as a plain-text table, one row per workload. */
    public static String table(List<Result> results) {
        StringBuilder out = new StringBuilder(String.format("%-34s %9s %9s %8s %6s %6s %12s%n",
                "workload", "attempted", "committed", "refused", "other", "lost", "longest (ms)"));
        for (Result r : results) {
            out.append(String.format("%-34s %9d %9d %8d %6d %6s %12d%n", r.workload().description(), r.attempted(),
                    r.committed(), r.refused(), r.otherErrors(), r.workload().counts() ? String.valueOf(r.lostUpdates()) : "-",
                    r.longestMillis()));
        }
        for (Result r : results) {
            if (r.stoppedEarly()) out.append("  ").append(r.workload().description()).append(": stopped at the time limit\n");
            if (r.firstOtherError() != null) out.append("  ").append(r.workload().description()).append(": ").append(r.firstOtherError()).append('\n');
        }
        return out.toString();
    }
}
