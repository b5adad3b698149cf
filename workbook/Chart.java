package workbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Horizontal bar charts as SVG text (chapter 13's benchmark chart), with a text table as the
 * fallback for scripts.
 *
 * <p>Why not a chart library: JFreeChart or XChart draw through Java2D, so their SVG or PNG
 * depends on the fonts installed on the machine, and a notebook output that changes from machine
 * to machine cannot be held by the tests. Bars, labels and numbers as SVG elements are the same
 * everywhere (the viewer picks the font), and this is all the workbook needs.
 */
public final class Chart {
    private static final String[] COLORS = {"#9e9e9e", "#1f6fb2", "#e08a1e", "#3a9b4a"};
    private static final int LABEL_WIDTH = 330;
    private static final int PLOT_WIDTH = 380;
    private static final int BAR = 12;

    private final String title;
    private final String unit;
    private final Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    private final List<String> labels = new ArrayList<>();

    private Chart(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    /** A new chart: {@code unit} is printed after each value (for example "s"). */
    public static Chart bars(String title, String unit) {
        return new Chart(title, unit);
    }

    /** Adds a value to a series (a colour) for a label (a row); null values draw no bar. */
    public Chart add(String seriesName, String label, Double value) {
        if (!labels.contains(label)) labels.add(label);
        series.computeIfAbsent(seriesName, k -> new LinkedHashMap<>()).put(label, value);
        return this;
    }

    /** Shows the chart: an SVG image in a notebook, the text table in a script. */
    public void show() {
        Workbook.svg(svg(), text());
    }

    /** The chart as SVG text. */
    public String svg() {
        double max = series.values().stream().flatMap(m -> m.values().stream())
                .filter(v -> v != null).mapToDouble(Double::doubleValue).max().orElse(1);
        int groupHeight = series.size() * BAR + 10;
        int top = 46;
        int height = top + labels.size() * groupHeight + 14;
        int width = LABEL_WIDTH + PLOT_WIDTH + 90;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>%n", escape(title)));
        int legendX = 8;
        int s = 0;
        for (String name : series.keySet()) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"26\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"35\">%s</text>%n", legendX, COLORS[s % COLORS.length], legendX + 14, escape(name)));
            legendX += 24 + 7 * name.length();
            s++;
        }
        for (int row = 0; row < labels.size(); row++) {
            String label = labels.get(row);
            int y = top + row * groupHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 6, y + series.size() * BAR / 2 + 4, escape(label)));
            s = 0;
            for (Map<String, Double> values : series.values()) {
                Double v = values.get(label);
                if (v != null) {
                    double w = Math.max(1, v / max * PLOT_WIDTH);
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                                    + "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%s</text>%n",
                            LABEL_WIDTH, y + s * BAR, w, BAR - 2, COLORS[s % COLORS.length],
                            LABEL_WIDTH + w + 4, y + s * BAR + BAR - 3, escape(format(v))));
                }
                s++;
            }
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n",
                LABEL_WIDTH, top - 4, LABEL_WIDTH, height - 10));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The same numbers as an aligned text table. */
    public String text() {
        StringBuilder out = new StringBuilder(title).append('\n');
        int width = labels.stream().mapToInt(String::length).max().orElse(4);
        out.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (String name : series.keySet()) out.append(String.format(Locale.ROOT, "  %12s", name));
        out.append('\n');
        for (String label : labels) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s", label));
            for (Map<String, Double> values : series.values()) {
                Double v = values.get(label);
                out.append(String.format(Locale.ROOT, "  %12s", v == null ? "" : format(v)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private String format(double v) {
        return String.format(Locale.ROOT, "%.3f %s", v, unit).strip();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
