package com.aicompanion.monitoring.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The PNG plots of the report, drawn headless with XChart from the harness's rows.
 *
 * <pre>{@code
 * new Charts(Path.of("docs/benchmarks")).scrape(scrapeRows, "p50_ms", "scrape-time.png", "...");
 * }</pre>
 */
final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private final Path dir;

  Charts(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
  }

  /** One line per exporter and format: {@code value} against the number of series, log-log. */
  void scrape(
      List<Map<String, Object>> rows, String value, String file, String title, String yTitle)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("series")
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    for (String exporter : List.of("ours", "client_java")) {
      for (String format : List.of("text", "openmetrics", "text+gzip")) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map<String, Object> row : rows) {
          if (exporter.equals(row.get("exporter")) && format.equals(row.get("format"))) {
            xs.add(number(row, "series"));
            ys.add(Math.max(number(row, value), 1e-3));
          }
        }
        if (!xs.isEmpty()) {
          chart.addSeries(exporter + " " + format, xs, ys);
        }
      }
    }
    save(chart, file);
  }

  /** Bars per category (x) for each named series; {@code rows} filtered by {@code series}. */
  void bars(
      String file,
      String title,
      String xTitle,
      String yTitle,
      List<String> categories,
      Map<String, List<Double>> series,
      boolean logY)
      throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 35 : 0);
    for (Map.Entry<String, List<Double>> entry : series.entrySet()) {
      chart.addSeries(entry.getKey(), categories, entry.getValue());
    }
    save(chart, file);
  }

  static double number(Map<String, Object> row, String key) {
    Object value = row.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  static List<Map<String, Object>> where(
      List<Map<String, Object>> rows, Predicate<Map<String, Object>> filter) {
    return rows.stream().filter(filter).toList();
  }

  private static void style(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
    styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(16f));
  }

  private void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String file)
      throws IOException {
    BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
