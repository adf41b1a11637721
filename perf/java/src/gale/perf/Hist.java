package gale.perf;

import java.util.Map;
import java.util.TreeMap;

/**
 * A log-linear latency histogram in microseconds, with the bucket layout the Go harness
 * (perf/internal/metrics) uses: values below 64 have one bucket each; above, every power of two
 * is split into 32 buckets (about 3% wide); TestIndexAndBounds in perf/internal/metrics pins the
 * layout. Not thread-safe: one spout executor owns it.
 */
final class Hist {
    private final TreeMap<Integer, Long> counts = new TreeMap<>();
    private long sumMicros;

    static int index(long micros) {
        if (micros < 64) {
            return (int) Math.max(micros, 0);
        }
        int e = 63 - Long.numberOfLeadingZeros(micros); // >= 6
        int sub = (int) (micros >>> (e - 5)) - 32;       // 0..31
        return 64 + (e - 6) * 32 + sub;
    }

    void record(long micros) {
        counts.merge(index(micros), 1L, Long::sum);
        sumMicros += Math.max(micros, 0);
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    long sumMicros() {
        return sumMicros;
    }

    /** Appends {"idx":count,...} and clears the histogram. */
    void drainJSON(StringBuilder sb) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":").append(e.getValue());
        }
        sb.append('}');
        counts.clear();
        sumMicros = 0;
    }
}
