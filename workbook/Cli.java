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

    /**
     * A message in one line. Most messages say what matters in their first line; some put where
     * on the lines after it (a YAML parser's "in 'reader', line 4, column 6", Liquibase's "Validation
     * Failed:" and then what failed): when the first line ends with a colon or the message says
     * where on a later line, the lines are joined, at most 400 characters.
     */
    static String firstLine(String message) {
        if (message == null) return "(no message)";
        String[] lines = message.strip().split("\\R");
        boolean more = lines.length > 1 && (lines[0].strip().endsWith(":")
                || java.util.Arrays.stream(lines).skip(1).anyMatch(l -> l.matches(".*\\bline \\d+.*")));
        if (!more) return lines[0];
        String joined = java.util.Arrays.stream(lines).map(String::strip).filter(l -> !l.isEmpty() && !l.equals("^"))
                .collect(java.util.stream.Collectors.joining(" ")).replaceAll(":\\s+:", ":");
        return joined.length() <= 400 ? joined : joined.substring(0, 397) + "...";
    }
}
