package io.shopstack.common.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a Prometheus {@code /metrics} page, as Prometheus would take it: the samples, each
 * with its labels, so a test can count series or read one value instead of matching text.
 */
public final class MetricsScrape {
  /** One sample line: metric name, labels, value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples;

  private MetricsScrape(String text) {
    this.text = text;
    this.samples =
        text.lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(MetricsScrape::sample)
            .toList();
  }

  /** Scrapes {@code http://127.0.0.1:<adminPort>/metrics}. */
  public static MetricsScrape of(int adminPort) {
    return of(URI.create("http://127.0.0.1:" + adminPort + "/metrics"));
  }

  public static MetricsScrape of(URI metrics) {
    HttpRequest request = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            metrics + " answered " + response.statusCode() + ": " + response.body());
      }
      return parse(response.body());
    } catch (IOException e) {
      throw new AssertionError("cannot scrape " + metrics + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while scraping " + metrics, e);
    }
  }

  public static MetricsScrape parse(String text) {
    return new MetricsScrape(text);
  }

  /** The page as served. */
  public String text() {
    return text;
  }

  /** Every sample line: the number of series Prometheus would store from this scrape. */
  public int seriesCount() {
    return samples.size();
  }

  /** Every sample of the page. */
  public List<Sample> samples() {
    return samples;
  }

  /** The samples of one metric name (exact, e.g. {@code http_server_requests_seconds_count}). */
  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The value of the one sample with this name whose labels include {@code labels}. */
  public double value(String name, Map<String, String> labels) {
    List<Sample> matching =
        samples(name).stream()
            .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    if (matching.size() != 1) {
      throw new AssertionError(
          matching.size() + " samples of " + name + " match " + labels + " in:\n" + text);
    }
    return matching.get(0).value();
  }

  // name{label="value",...} value [timestamp]; label values escape \, " and newline.
  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    int i;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      i = brace + 1;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq).trim();
        StringBuilder value = new StringBuilder();
        i = eq + 2; // past ="
        while (line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c == '\\') {
            char escaped = line.charAt(i++);
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(c);
          }
        }
        labels.put(label, value.toString());
        i++; // past the closing quote
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++; // past }
    } else {
      name = line.substring(0, space);
      i = space;
    }
    String[] rest = line.substring(i).trim().split(" ");
    return new Sample(name, Map.copyOf(labels), Double.parseDouble(rest[0]));
  }
}
