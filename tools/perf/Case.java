package perf;

/**
 * One test: a Java twin has the name of its SQLAlchemy test; javaOnly tests have none, and
 * postgresOnly ones run on PostgreSQL only.
 */
public record Case(String name, String doc, boolean javaOnly, boolean postgresOnly, Body body) {

    /** What a test does: n rows (or lookups) through the context's layers; it returns the rows it saw. */
    public interface Body {
        long run(RunContext ctx, int n) throws Exception;
    }

    /** How --list describes it. */
    public String kind() {
        return postgresOnly ? "postgresql-only" : javaOnly ? "java-only" : "twin";
    }

    static Case twin(String name, String doc, Body body) {
        return new Case(name, doc, false, false, body);
    }

    static Case extra(String name, String doc, Body body) {
        return new Case(name, doc, true, false, body);
    }

    static Case pgOnly(String name, String doc, Body body) {
        return new Case(name, doc, true, true, body);
    }
}
