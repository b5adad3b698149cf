package workbook;

import org.jooq.Formattable;

/** Shows values the same way everywhere: HTML tables in a notebook, aligned text in a script. */
final class Show {
    private Show() {}

    static void show(Object value) {
        if (value instanceof Formattable) {
            Formattable table = (Formattable) value;
            Workbook.html(table.formatHTML(), table.format(Integer.MAX_VALUE));
        } else {
            System.out.println(value);
        }
    }
}
