package gale.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Records when a component instance became ready (open/prepare), one small file per task, so the
 * harness can compute worker cold start (process launch to first ready component).
 */
final class Events {
    private Events() {}

    static String metricsDir(Map conf) {
        Object d = conf.get("perf.metrics.dir");
        return d == null ? null : d.toString();
    }

    static void ready(Map conf, String component, int task) {
        String dir = metricsDir(conf);
        if (dir == null) {
            return;
        }
        String line = "{\"event\":\"ready\",\"component\":\"" + component + "\",\"task\":" + task
                + ",\"pid\":" + ProcessHandle.current().pid() + ",\"ms\":" + System.currentTimeMillis() + "}\n";
        Path p = Paths.get(dir, "ready-" + task + ".json");
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuntimeException("perf: write " + p, e);
        }
    }

    static long longConf(Map conf, String key, long def) {
        Object v = conf.get(key);
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        if (v != null) {
            return Long.parseLong(v.toString());
        }
        return def;
    }

    static double doubleConf(Map conf, String key, double def) {
        Object v = conf.get(key);
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v != null) {
            return Double.parseDouble(v.toString());
        }
        return def;
    }
}
