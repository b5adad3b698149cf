package workbook;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.Field;
import org.jooq.Fields;
import org.jooq.Formattable;

/**
 * Shows values the same way everywhere: HTML tables in a notebook, aligned text in a script.
 *
 * <p>Both forms are jOOQ's ({@code formatHTML()}, {@code format()}), made to read like a database
 * client's: numbers right-aligned and text left-aligned (JupyterLab right-aligns every cell of an
 * HTML output), and a missing value shown as {@code NULL} rather than jOOQ's {@code {null}}. The
 * alignment goes into each cell as {@code style} (kept by JupyterLab's sanitizer, also in a
 * notebook it does not trust) and {@code align} (kept by GitHub's).
 */
public final class Show {
    private static final Pattern ROW = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<(td|th)>(.*?)</\\1>", Pattern.DOTALL);
    private static final Pattern TEXT_NULL = Pattern.compile("\\|( *)\\{null\\}( *)(?=\\|)");

    private Show() {}

    static void show(Object value) {
        if (value instanceof Formattable) {
            Formattable table = (Formattable) value;
            Workbook.html(html(table), text(table));
        } else {
            System.out.println(value);
        }
    }

    /** A jOOQ result or record as an HTML table (what a notebook shows). */
    public static String html(Formattable value) {
        String html = value.formatHTML();
        if (!(value instanceof Fields)) return html;
        Field<?>[] fields = ((Fields) value).fields();
        boolean[] right = new boolean[fields.length];
        for (int i = 0; i < fields.length; i++) right[i] = Number.class.isAssignableFrom(fields[i].getType());
        StringBuilder out = new StringBuilder();
        Matcher row = ROW.matcher(html);
        int last = 0;
        while (row.find()) {
            out.append(html, last, row.start()).append("<tr>");
            Matcher cell = CELL.matcher(row.group(1));
            int column = 0;
            while (cell.find()) {
                String align = column < right.length && right[column] ? "right" : "left";
                String content = cell.group(2).equals("{null}") ? "<i style=\"color:#888\">NULL</i>" : cell.group(2);
                out.append('<').append(cell.group(1)).append(" align=\"").append(align)
                        .append("\" style=\"text-align:").append(align).append("\">")
                        .append(content).append("</").append(cell.group(1)).append('>');
                column++;
            }
            out.append("</tr>");
            last = row.end();
        }
        return out.append(html.substring(last)).toString();
    }

    /** A jOOQ result or record as an aligned text table (what a script prints). */
    public static String text(Formattable value) {
        String text = value.format(Integer.MAX_VALUE);
        // Each {null} cell keeps its width: NULL and two more spaces on the side of its padding.
        Matcher m = TEXT_NULL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String before = m.group(1), after = m.group(2);
            String cell = before.isEmpty() || !after.isEmpty() ? before + "NULL  " + after : before + "  NULL";
            m.appendReplacement(out, Matcher.quoteReplacement("|" + cell));
        }
        return m.appendTail(out).toString();
    }

    /** Text made safe inside HTML (and its attributes). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
