package gale.perf;

import java.util.HashMap;
import java.util.Map;

import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.ShellBolt;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.IRichBolt;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;

/** The benchmark bolts. Each records when it became ready (Events) and acks every input. */
public final class Bolts {
    private Bolts() {}

    /** Acks and drops every input. */
    public static class NoOp extends BaseRichBolt {
        private transient OutputCollector out;

        @Override
        public void prepare(Map conf, TopologyContext ctx, OutputCollector collector) {
            out = collector;
            Events.ready(conf, ctx.getThisComponentId(), ctx.getThisTaskId());
        }

        @Override
        public void execute(Tuple t) {
            out.ack(t);
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer d) {}
    }

    /** Emits every input's values unchanged, anchored on it, then acks it. */
    public static class Identity extends BaseRichBolt {
        private transient OutputCollector out;

        @Override
        public void prepare(Map conf, TopologyContext ctx, OutputCollector collector) {
            out = collector;
            Events.ready(conf, ctx.getThisComponentId(), ctx.getThisTaskId());
        }

        @Override
        public void execute(Tuple t) {
            out.emit(t, t.getValues());
            out.ack(t);
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer d) {
            d.declare(new Fields("value"));
        }
    }

    /** Splits field 0 on spaces and emits each word, anchored. */
    public static class Split extends BaseRichBolt {
        private transient OutputCollector out;

        @Override
        public void prepare(Map conf, TopologyContext ctx, OutputCollector collector) {
            out = collector;
            Events.ready(conf, ctx.getThisComponentId(), ctx.getThisTaskId());
        }

        @Override
        public void execute(Tuple t) {
            for (String w : t.getString(0).split(" ")) {
                out.emit(t, new Values(w));
            }
            out.ack(t);
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer d) {
            d.declare(new Fields("word"));
        }
    }

    /** Counts words in a map and acks; emits nothing (the sink of the word count). */
    public static class Count extends BaseRichBolt {
        private transient OutputCollector out;
        private transient Map<String, Long> counts;

        @Override
        public void prepare(Map conf, TopologyContext ctx, OutputCollector collector) {
            out = collector;
            counts = new HashMap<>();
            Events.ready(conf, ctx.getThisComponentId(), ctx.getThisTaskId());
        }

        @Override
        public void execute(Tuple t) {
            counts.merge(t.getString(0), 1L, Long::sum);
            out.ack(t);
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer d) {}
    }

    /** A multilang relay: the script emits each input anchored and acks it (ShellBolt). */
    public abstract static class Relay extends ShellBolt implements IRichBolt {
        protected Relay(String... command) {
            super(command);
        }

        @Override
        public void prepare(Map conf, TopologyContext ctx, OutputCollector collector) {
            super.prepare(conf, ctx, collector);
            Events.ready(conf, ctx.getThisComponentId(), ctx.getThisTaskId());
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer d) {
            d.declare(new Fields("value"));
        }

        @Override
        public Map<String, Object> getComponentConfiguration() {
            return null;
        }
    }

    /** Node.js relay (resources/relay.js, Storm's storm.js). */
    public static class NodeRelay extends Relay {
        public NodeRelay() {
            super("node", "relay.js");
        }
    }

    /** Python 2 relay (resources/relay.py, Storm's storm.py) run by the given interpreter. */
    public static class PythonRelay extends Relay {
        public PythonRelay(String python) {
            super(python, "relay.py");
        }
    }
}
