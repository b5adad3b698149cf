//SOURCES ../workbook/Workbook.java
//DESCRIPTION Applies, previews and rolls back Liquibase changelogs (the bookshop's by default) on a database

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.command.CommandScope;
import liquibase.lockservice.LockServiceFactory;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import workbook.Engine;
import workbook.Cli;
import workbook.Db;
import workbook.Workbook;
import workbook.WorkbookException;

/**
 * The workbook's `alembic` command: Liquibase's update, status, rollback and offline SQL, driven
 * from Java through CommandScope (as chapter 9 does), with short, stable output of its own
 * (the applied changesets in the order they ran), never dates or deployment ids.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Runs a Liquibase command against a database: the workbook's `alembic`.",
                "COMMAND is one of:",
                "  update             apply every pending changeset (alembic upgrade head)",
                "  status             list the pending changesets (alembic history/current)",
                "  rollback-count N   undo the last N changesets (alembic downgrade -N)",
                "  rollback TAG       undo every changeset applied after the tag TAG",
                "  update-sql [N]     print the SQL that update (or the next N changesets) would run,",
                "                     without running it (alembic upgrade --sql)",
                "  release-locks      clear Liquibase's changelog lock left by a migration that was killed",
                "                     (status shows who holds it and since when)",
                "update and the rollbacks wait up to --lock-wait seconds for a lock another migration holds."},
        footer = {"", "DATABASE is a workbook name (ch09, sqlite:shop, postgresql:shop, mariadb:shop) or any JDBC URL.",
                "The changelog path is taken from the current folder, else from the workbook folder.", "",
                "Examples:", "  jbang migrate@. sqlite:shop update",
                "  jbang migrate@. sqlite:shop status",
                "  jbang migrate@. sqlite:shop rollback-count 2",
                "  jbang migrate@. postgresql:shop rollback v1",
                "  jbang migrate@. postgresql:shop update-sql",
                "  jbang migrate@. postgresql:shop release-locks",
                "  jbang migrate@. sqlite:shop update \\", "      --changelog migrations/bookshop/changelog.yaml"})
public class Migrate implements Callable<Integer> {
    static final String DEFAULT_CHANGELOG = "migrations/bookshop/changelog.yaml";
    static final List<String> COMMANDS = List.of("update", "status", "rollback-count", "rollback", "update-sql", "release-locks");
    /** Kept in a field: java.util.logging forgets loggers nobody references, and their level with them. */
    static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    @Parameters(index = "0", paramLabel = "DATABASE", description = "workbook database name or JDBC URL")
    String database;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "update, status, rollback-count, rollback, update-sql or release-locks")
    String command;

    @Parameters(index = "2", arity = "0..1", paramLabel = "ARG", description = "N for rollback-count and update-sql, TAG for rollback")
    String argument;

    @Option(names = {"-c", "--changelog"}, paramLabel = "FILE", defaultValue = DEFAULT_CHANGELOG,
            description = "the master changelog (default: ${DEFAULT-VALUE})")
    String changelog;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long update and the rollbacks wait for a changelog lock held elsewhere (default: ${DEFAULT-VALUE})")
    int lockWait;

    public static void main(String... args) {
        System.exit(new CommandLine(new Migrate()).execute(args));
    }

    @Override
    public Integer call() {
        LIQUIBASE_LOG.setLevel(Level.OFF);                       // errors are reported below, in one line
        System.setProperty("liquibase.analytics.enabled", "false");
        try {
            checkArguments();
            Path file = findChangelog(changelog);
            Path root = file.startsWith(Workbook.home()) ? Workbook.home() : file.getParent();
            String path = root.relativize(file).toString().replace('\\', '/');
            try (Db db = Workbook.open(database); Connection connection = db.connection()) {
                Database target = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                if (db.is(Engine.POSTGRESQL)) target.setDefaultSchemaName(connection.getSchema());
                Map<String, Object> scope = Map.of(Scope.Attr.ui.name(), new LoggerUIService(),
                        Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(root));
                Scope.child(scope, () -> run(db, target, path));
            }
            return 0;
        } catch (WorkbookException | DataAccessException e) {
            return Cli.fail(e);
        } catch (Exception e) {
            return Cli.fail(command + " failed: " + Cli.describe(e));
        }
    }

    private void checkArguments() {
        if (!COMMANDS.contains(command)) {
            throw new WorkbookException("unknown command '" + command + "': use one of " + String.join(", ", COMMANDS));
        }
        boolean needsArg = command.equals("rollback-count") || command.equals("rollback");
        boolean takesArg = needsArg || command.equals("update-sql");
        if (lockWait < 0 || lockWait > 3600) {
            throw new WorkbookException("--lock-wait takes 0 to 3600 seconds, not " + lockWait);
        }
        if (needsArg && argument == null) {
            throw new WorkbookException(command + " needs " + (command.equals("rollback") ? "a TAG" : "a count N"));
        }
        if (!takesArg && argument != null) {
            throw new WorkbookException(command + " takes no argument (got '" + argument + "')");
        }
        if ((command.equals("rollback-count") || command.equals("update-sql")) && argument != null
                && !argument.matches("[1-9][0-9]{0,5}")) {
            throw new WorkbookException(command + " needs a positive whole number, not '" + argument + "'");
        }
    }

    private static Path findChangelog(String name) {
        Path given = Path.of(name);
        for (Path candidate : given.isAbsolute() ? List.of(given) : List.of(given.toAbsolutePath(), Workbook.home().resolve(given))) {
            if (Files.isRegularFile(candidate)) return candidate.normalize();
        }
        throw new WorkbookException("changelog file not found: " + name);
    }

    private void run(Db db, Database target, String path) throws Exception {
        switch (command) {
            case "status" -> {
                List<ChangeSet> pending = pending(db, target, path);
                System.out.println(pending.size() + " changeset(s) pending:");
                for (ChangeSet cs : pending) System.out.println("  " + cs.getId() + "  (" + cs.getFilePath() + ")");
                Optional<String> lock = lockHolder(db);
                System.out.println(lock.map(holder -> "changelog lock: held by " + holder
                        + " (if no migration is running, clear it with release-locks)").orElse("changelog lock: free"));
            }
            case "release-locks" -> {
                Optional<String> lock = lockHolder(db);
                if (lock.isEmpty()) {
                    System.out.println("changelog lock: was free, nothing to release");
                } else {
                    LockServiceFactory.getInstance().getLockService(target).forceReleaseLock();
                    System.out.println("changelog lock: released (it was held by " + lock.get() + ")");
                }
            }
            case "update-sql" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                CommandScope scope = argument == null ? new CommandScope("updateSql")
                        : new CommandScope("updateCountSql").addArgumentValue("count", Integer.parseInt(argument));
                scope.addArgumentValue("database", target).addArgumentValue("changelogFile", path).setOutput(out);
                scope.execute();
                System.out.print(out.toString(StandardCharsets.UTF_8));
            }
            default -> {
                waitForLock(db);
                List<String> before = applied(db);
                CommandScope scope = switch (command) {
                    case "update" -> new CommandScope("update");
                    case "rollback-count" -> new CommandScope("rollbackCount").addArgumentValue("count", Integer.parseInt(argument));
                    default -> new CommandScope("rollback").addArgumentValue("tag", argument);
                };
                scope.addArgumentValue("database", target).addArgumentValue("changelogFile", path)
                        .setOutput(java.io.OutputStream.nullOutputStream());   // no update summary: its counts change
                scope.execute();
                List<String> after = applied(db);
                System.out.println(command.equals("update")
                        ? "ran " + (after.size() - before.size()) + " changeset(s)"
                        : "rolled back " + (before.size() - after.size()) + " changeset(s)");
                System.out.println("applied changesets (" + after.size() + "):");
                for (String id : after) System.out.println("  " + id);
            }
        }
    }

    /**
     * The changesets not applied yet: the changelog's, less those DATABASECHANGELOG lists (same
     * id, author and file). Read with a plain query, so that status writes nothing and works on a
     * read-only database (Liquibase's listUnrunChangeSets first creates or upgrades its tables,
     * racing an update that does the same). Before the first update every changeset is pending.
     */
    private static List<ChangeSet> pending(Db db, Database target, String path) throws Exception {
        ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
        List<ChangeSet> all = new Liquibase(path, accessor, target).getDatabaseChangeLog().getChangeSets();
        String table = liquibaseTable(db, "databasechangelog");
        if (table == null) return all;
        java.util.Set<List<String>> ran = new java.util.HashSet<>();
        for (var r : db.dsl().select(DSL.field(DSL.name("id")), DSL.field(DSL.name("author")), DSL.field(DSL.name("filename")))
                .from(DSL.table(DSL.name(table))).fetch()) {
            ran.add(List.of(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class)));
        }
        return all.stream().filter(cs -> !ran.contains(List.of(cs.getId(), cs.getAuthor(), cs.getFilePath()))).toList();
    }

    /**
     * Who holds Liquibase's changelog lock and since when ({@code "host (10.0.0.1) since
     * 2026-12-02 14:20:01"}), or empty when it is free. Read with a plain query, so that status
     * changes nothing (Liquibase's lock service would create its table).
     */
    private static Optional<String> lockHolder(Db db) throws SQLException {
        String table = liquibaseTable(db, "databasechangeloglock");
        if (table == null) return Optional.empty();
        var row = db.dsl().select(DSL.field(DSL.name("locked")), DSL.field(DSL.name("lockedby")), DSL.field(DSL.name("lockgranted")))
                .from(DSL.table(DSL.name(table))).where(DSL.field(DSL.name("id")).eq(1)).fetchOne();
        if (row == null || !Boolean.TRUE.equals(row.get(0, Boolean.class))) return Optional.empty();
        String since = row.get(2) == null ? "" : " since " + row.get(2).toString().replaceAll("\\.\\d+$", "");
        return Optional.of((row.get(1) == null ? "an unknown process" : row.get(1, String.class)) + since);
    }

    /**
     * Waits up to --lock-wait seconds while another migration holds the lock (Liquibase itself
     * would wait five minutes without a word), then fails naming the fix.
     */
    private void waitForLock(Db db) throws Exception {
        Optional<String> holder = lockHolder(db);
        if (holder.isEmpty()) return;
        System.err.println("waiting up to " + lockWait + " s for the changelog lock, held by " + holder.get());
        long deadline = System.nanoTime() + lockWait * 1_000_000_000L;
        while (holder.isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            holder = lockHolder(db);
        }
        if (holder.isPresent()) {
            throw new WorkbookException("the changelog lock is still held by " + holder.get() + ": another migration is "
                    + "running, or one was killed; if none is running, run: jbang migrate@. " + database + " release-locks");
        }
    }

    /** A Liquibase table as the database spells it (upper-case on MariaDB), or null when it does not exist. */
    private static String liquibaseTable(Db db, String name) throws SQLException {
        String table = null;
        try (Connection c = db.connection();
             var tables = c.getMetaData().getTables(db.engine().metaCatalog(c), db.engine().metaSchema(c), "%", null)) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equalsIgnoreCase(name)) table = tables.getString("TABLE_NAME");
            }
        }
        return table;
    }

    /** The ids of DATABASECHANGELOG in the order they ran (empty before the first update). */
    private static List<String> applied(Db db) throws SQLException {
        List<String> ids = new ArrayList<>();
        String table = liquibaseTable(db, "databasechangelog");
        if (table == null) return ids;
        for (var r : db.dsl().select(DSL.field(DSL.name("id"))).from(DSL.table(DSL.name(table)))
                .orderBy(DSL.field(DSL.name("orderexecuted"))).fetch()) {
            ids.add(r.get(0, String.class));
        }
        return ids;
    }
}
