package io.sightline.bench.ingest;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadCpuTest {
    @Test
    void counts_a_busy_thread_under_its_group_by_name() throws Exception {
        long pid = ProcessHandle.current().pid();
        Map<String, Double> before = ThreadCpu.of(pid);
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 300_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.println(x);
            }
        }, "user-agent-parser");
        busy.start();
        Thread.sleep(250); // still running: a thread's entry goes when it ends
        Map<String, Double> during = ThreadCpu.minus(ThreadCpu.of(pid), before);
        busy.join();
        assertThat(during.get("ua-parser")).isGreaterThanOrEqualTo(0.1);
        assertThat(during).doesNotContainKey("http");
    }
}
