package perf;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The customer table of SQLAlchemy's performance suite as each layer sees it: entity classes
 * for Hibernate, a table and fields for jOOQ, SQL text for JDBC, and the rows every suite writes.
 */
public final class Customers {
    private Customers() {}

    /** The rows of SQLAlchemy's suite: ("customer name 0", "customer description 0"), ... */
    static String name(int i) {
        return "customer name " + i;
    }

    static String description(int i) {
        return "customer description " + i;
    }

    static final String INSERT = "insert into customer (name, description) values (?, ?)";

    static final Table<Record> CUSTOMER = DSL.table(DSL.name("customer"));
    static final Field<Integer> ID = DSL.field(DSL.name("id"), SQLDataType.INTEGER);
    static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.VARCHAR(255));
    static final Field<String> DESCRIPTION = DSL.field(DSL.name("description"), SQLDataType.VARCHAR(255));

    /** The columns every mapping of the customer table shares; the subclasses differ in their keys only. */
    @MappedSuperclass
    public abstract static class CustomerColumns {
        @Column(length = 255) String name;
        @Column(length = 255) String description;

        void set(int i) {
            name = name(i);
            description = description(i);
        }
    }

    /** SQLAlchemy's {@code Customer}: an identity key the database generates. */
    @Entity(name = "Customer")
    @jakarta.persistence.Table(name = "customer")
    public static class Customer extends CustomerColumns {
        @Id @GeneratedValue(strategy = GenerationType.IDENTITY) Integer id;

        public Customer() {}

        Customer(int i) {
            set(i);
        }
    }

    /** The same table with keys the application assigns ({@code test_flush_pk_given}). */
    @Entity(name = "CustomerPk")
    @jakarta.persistence.Table(name = "customer")
    public static class CustomerPk extends CustomerColumns {
        @Id Integer id;

        public CustomerPk() {}

        CustomerPk(int i) {
            id = i + 1;
            set(i);
        }
    }

    /** The same table with keys from a sequence, 1000 at a time (PostgreSQL): Hibernate can batch these. */
    @Entity(name = "CustomerSeq")
    @jakarta.persistence.Table(name = "customer")
    public static class CustomerSeq extends CustomerColumns {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "customer_seq")
        @SequenceGenerator(name = "customer_seq", sequenceName = "customer_seq", allocationSize = 1000)
        Integer id;

        public CustomerSeq() {}

        CustomerSeq(int i) {
            set(i);
        }
    }

    /** short_selects' wider customer; x, y, z are deferred in SQLAlchemy, so they are left unmapped here. */
    @Entity(name = "WideCustomer")
    @jakarta.persistence.Table(name = "customer")
    public static class WideCustomer {
        @Id Integer id;
        String name;
        String description;
        Integer q;
        Integer p;
    }

    /** A plain row object: SQLAlchemy's Bundle / "SimpleCustomer". */
    public record CustomerRow(Integer id, String name, String description) {}
}
