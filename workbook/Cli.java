package workbook;

/**
 * The one way the workbook's tools (sql, reflect, migrate, sample-db, reset, perf) report a
 * failure: one line {@code error: ...} on stderr and exit status 1, never a stack trace.
 */
public final class Cli {
    private Cli() {}

    /** Prints {@code error: MESSAGE} (its first line) on stderr and returns the exit status 1. */
    public static int fail(String message) {
        System.err.println("error: " + firstLine(message));
        return 1;
    }

    /** The same for an exception: {@link #describe} says what went wrong. */
    public static int fail(Throwable e) {
        return fail(describe(e));
    }

    /**
     * What went wrong, in one line: a {@link WorkbookException}'s own message (it names the fix),
     * else the message of the innermost cause (the driver's or the database's own words).
     */
    public static String describe(Throwable e) {
        if (e instanceof WorkbookException) return firstLine(e.getMessage());
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            if (t.getCause() instanceof WorkbookException) return firstLine(t.getCause().getMessage());
            t = t.getCause();
        }
        return firstLine(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }

    static String firstLine(String message) {
        return message == null ? "(no message)" : message.strip().split("\\R", 2)[0];
    }
}
