package io.sightline.bench.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** One configuration of the server, and what it measured in every fork. */
final class Result {
    final String label;
    /** Where each fork keeps this server's database, log and flight recording. */
    final String directory;
    final Map<String, String> env;
    final Measurements track = new Measurements("/track");
    final Measurements batch = new Measurements("/batch");
    final AtomicLong peakRss = new AtomicLong();

    Result(String label, String directory, Map<String, String> env) {
        this.label = label;
        this.directory = directory;
        this.env = env;
    }

    List<Measurements> routes() {
        return List.of(track, batch);
    }

    void endFork() {
        for (Measurements m : routes()) {
            m.forkMedians.add(median(m.rates.subList(m.forkStart, m.rates.size())));
            m.forkStart = m.rates.size();
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** What each round measured on one route: events/s, server CPU and server + PostgreSQL CPU per event. */
    static final class Measurements {
        final String route;
        final List<Double> rates = new ArrayList<>();
        final List<Double> serverCpu = new ArrayList<>();
        final List<Double> withPostgres = new ArrayList<>();
        /** The median events/s of each fork's rounds. */
        final List<Double> forkMedians = new ArrayList<>();
        private int forkStart;

        Measurements(String route) {
            this.route = route;
        }
    }
}
