package workbook;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

/**
 * Sees every statement that reaches the database through the workbook's DataSource, whether
 * JDBC, jOOQ or Hibernate sent it (datasource-proxy calls it). It counts them, and prints them
 * with their bind values when echo is on.
 */
final class SqlLog implements QueryExecutionListener {
    private static final int MAX_BATCH_SHOWN = 3;
    private final AtomicLong count = new AtomicLong();
    private volatile boolean echo;

    void echo(boolean on) {
        echo = on;
    }

    long count() {
        return count.get();
    }

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {}

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        count.incrementAndGet();
        if (!echo) return;
        StringBuilder out = new StringBuilder();
        for (QueryInfo query : queryInfoList) {
            out.append("SQL> ").append(query.getQuery().strip().replaceAll("\\s*\\R\\s*", " ")).append('\n');
            List<List<ParameterSetOperation>> sets = query.getParametersList();
            if (sets.isEmpty() || sets.get(0).isEmpty()) continue;
            if (sets.size() == 1) {
                out.append("     params: ").append(params(sets.get(0))).append('\n');
            } else {
                out.append("     batch of ").append(sets.size()).append(": ");
                for (int i = 0; i < Math.min(sets.size(), MAX_BATCH_SHOWN); i++) {
                    out.append(i == 0 ? "" : ", ").append(params(sets.get(i)));
                }
                out.append(sets.size() > MAX_BATCH_SHOWN ? ", ..." : "").append('\n');
            }
        }
        System.out.print(out);
        System.out.flush();
    }

    private static String params(List<ParameterSetOperation> operations) {
        List<ParameterSetOperation> sorted = new ArrayList<>(operations);
        sorted.sort(Comparator.comparing(op -> String.valueOf(op.getArgs()[0]), Comparator.comparing(String::length)
                .thenComparing(Comparator.naturalOrder())));
        List<String> values = new ArrayList<>();
        for (ParameterSetOperation op : sorted) {
            Object[] args = op.getArgs();
            Object value = args.length > 1 ? args[1] : null;
            if (op.getMethod().getName().equals("setNull")) value = null;
            values.add(value instanceof String ? "'" + value + "'" : String.valueOf(value));
        }
        return "[" + String.join(", ", values) + "]";
    }
}
