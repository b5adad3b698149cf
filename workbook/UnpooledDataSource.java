package workbook;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A DataSource with no pool: every getConnection() opens a new physical connection (see Db#unpooledDataSource). */
final class UnpooledDataSource implements DataSource {
    private final String url;
    private final String schema;
    private PrintWriter logWriter;
    private int loginTimeout;

    UnpooledDataSource(String url, String schema) {
        this.url = url;
        this.schema = schema;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        if (schema != null) c.setSchema(schema);
        return c;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        if (schema != null) c.setSchema(schema);
        return c;
    }

    @Override public PrintWriter getLogWriter() { return logWriter; }
    @Override public void setLogWriter(PrintWriter out) { logWriter = out; }
    @Override public void setLoginTimeout(int seconds) { loginTimeout = seconds; }
    @Override public int getLoginTimeout() { return loginTimeout; }
    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) return type.cast(this);
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
