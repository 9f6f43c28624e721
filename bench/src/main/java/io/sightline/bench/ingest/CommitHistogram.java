package io.sightline.bench.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's writer commit latency ({@code sightline_writer_commit_seconds}, a Prometheus histogram) over one
 * step: the difference of two scrapes. Its buckets are coarse (1, 2, 5, 10, 25, 50, 100, 250 ms, …), so it answers
 * "did commits get slow during the step" rather than giving exact quantiles.
 */
record CommitHistogram(TreeMap<Double, Double> cumulative) {
    private static final Pattern BUCKET = Pattern.compile(
            "^sightline_writer_commit_seconds_bucket\\{le=\"([^\"]+)\",?\\} ([0-9.eE+-]+)$");

    static CommitHistogram parse(String prometheusText) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher m = BUCKET.matcher(line.trim());
            if (m.matches()) {
                double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
                buckets.put(le, Double.parseDouble(m.group(2)));
            }
        }
        return new CommitHistogram(buckets);
    }

    CommitHistogram minus(CommitHistogram earlier) {
        TreeMap<Double, Double> diff = new TreeMap<>();
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            diff.put(e.getKey(), e.getValue() - earlier.cumulative.getOrDefault(e.getKey(), 0.0));
        }
        return new CommitHistogram(diff);
    }

    /** "commits: 3,120, p50 ≤ 2 ms, p99 ≤ 10 ms, slowest ≤ 25 ms". */
    String describe() {
        double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
        if (total == 0) {
            return "commits: none";
        }
        return String.format(Locale.ROOT, "commits: %,.0f, p50 %s, p99 %s, slowest %s", total,
                bound(total * 0.5), bound(total * 0.99), bound(total));
    }

    private String bound(double rank) {
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                return e.getKey().isInfinite() ? "> 5 s" : String.format(Locale.ROOT, "<= %.0f ms", e.getKey() * 1000);
            }
        }
        return "?";
    }
}
