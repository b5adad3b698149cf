package workbook;

/** A mistake the learner can fix: its message is one line that says how. */
public class WorkbookException extends RuntimeException {
    public WorkbookException(String message) {
        super(message);
    }

    public WorkbookException(String message, Throwable cause) {
        super(message, cause);
    }

    /** One line, for scripts that print an error instead of a stack trace. */
    @Override
    public String toString() {
        return "error: " + getMessage();
    }
}
