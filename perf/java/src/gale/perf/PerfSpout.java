package gale.perf;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;

import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Values;

/**
 * The benchmark spout: emits reliably (message id = emit time in nanoseconds), at most one tuple
 * per nextTuple call, optionally rate-limited to perf.rate tuples per second per task. On every
 * ack it records the complete latency (ack time - emit time) in a histogram, and every
 * perf.report.ms it appends one JSON line with cumulative counters and the interval histogram to
 * <perf.metrics.dir>/spout-<task>.jsonl, which the Go harness reads.
 *
 * Kinds: "constant" emits the same short string on field "value"; "sentence" cycles through five
 * sentences on field "sentence".
 */
public class PerfSpout extends BaseRichSpout {
    static final String[] SENTENCES = {
        "the cow jumped over the moon",
        "an apple a day keeps the doctor away",
        "four score and seven years ago",
        "snow white and the seven dwarfs",
        "i am at two with nature",
    };
    static final String CONSTANT = "gale-perf-constant-value";

    private final String kind;

    private transient SpoutOutputCollector out;
    private transient OutputStream file;
    private transient Hist hist;
    private transient int task;
    private transient double rate;
    private transient long reportNanos;
    private transient long startNanos;
    private transient long nextReportNanos;
    private transient long emitted;
    private transient long acked;
    private transient long failed;
    private transient long firstAckMs;
    private transient long credit;
    private transient int next;

    public PerfSpout(String kind) {
        this.kind = kind;
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer d) {
        d.declare(new Fields("sentence".equals(kind) ? "sentence" : "value"));
    }

    @Override
    public void open(Map conf, TopologyContext context, SpoutOutputCollector collector) {
        out = collector;
        task = context.getThisTaskId();
        hist = new Hist();
        rate = Events.doubleConf(conf, "perf.rate", 0);
        reportNanos = Events.longConf(conf, "perf.report.ms", 1000) * 1_000_000L;
        String dir = Events.metricsDir(conf);
        if (dir != null) {
            try {
                Files.createDirectories(Paths.get(dir));
                file = new FileOutputStream(Paths.get(dir, "spout-" + task + ".jsonl").toFile(), true);
            } catch (IOException e) {
                throw new RuntimeException("perf: open metrics file", e);
            }
        }
        Events.ready(conf, context.getThisComponentId(), task);
    }

    @Override
    public void nextTuple() {
        long now = System.nanoTime();
        if (startNanos == 0) {
            startNanos = now;
            nextReportNanos = now + reportNanos;
        }
        report(now);
        if (rate > 0) {
            // Token bucket: credit accrues at rate, at most 100 ms worth (no bursts after a stall).
            long due = (long) ((now - startNanos) / 1e9 * rate);
            long cap = Math.max(1, (long) (rate / 10));
            if (due - credit > cap) {
                credit = due - cap;
            }
            if (credit >= due) {
                return;
            }
            credit++;
        }
        Values v = "sentence".equals(kind)
                ? new Values(SENTENCES[next++ % SENTENCES.length])
                : new Values(CONSTANT);
        out.emit(v, Long.valueOf(System.nanoTime()));
        emitted++;
    }

    @Override
    public void ack(Object msgId) {
        long now = System.nanoTime();
        hist.record((now - (Long) msgId) / 1000);
        if (acked++ == 0) {
            firstAckMs = System.currentTimeMillis();
        }
        report(now);
    }

    @Override
    public void fail(Object msgId) {
        failed++;
        report(System.nanoTime());
    }

    private void report(long now) {
        if (file == null || now < nextReportNanos) {
            return;
        }
        nextReportNanos = now + reportNanos;
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"t\":").append(System.currentTimeMillis())
          .append(",\"task\":").append(task)
          .append(",\"pid\":").append(ProcessHandle.current().pid())
          .append(",\"emitted\":").append(emitted)
          .append(",\"acked\":").append(acked)
          .append(",\"failed\":").append(failed)
          .append(",\"first_ack_ms\":").append(firstAckMs)
          .append(",\"lat_sum_us\":").append(hist.sumMicros())
          .append(",\"lat\":");
        hist.drainJSON(sb);
        sb.append("}\n");
        try {
            file.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            file.flush();
        } catch (IOException e) {
            throw new RuntimeException("perf: write metrics", e);
        }
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // the harness reads what was flushed
            }
        }
    }
}
