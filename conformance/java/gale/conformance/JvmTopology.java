package gale.conformance;

import java.util.Map;

import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.BasicOutputCollector;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.topology.base.BaseBasicBolt;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.apache.storm.utils.Utils;

/**
 * A topology of plain Java components, as users write them: only a JVM
 * runs it (Gale's worker runs Storm's built-in test components and
 * multilang ones, not arbitrary classes). A reliable spout "numbers"
 * (BaseRichSpout, message ids, about 200 tuples a second) feeds "square"
 * (BaseBasicBolt, parallelism 2, shuffle), which feeds "sum" (BaseBasicBolt,
 * global grouping). Every tuple tree is acked, so the spout's acked count
 * grows.
 *
 * Arguments: NAME [WORKERS].
 */
public class JvmTopology {
    public static class NumberSpout extends BaseRichSpout {
        private SpoutOutputCollector collector;
        private long next;

        @Override
        public void open(Map conf, TopologyContext context, SpoutOutputCollector collector) {
            this.collector = collector;
        }

        @Override
        public void nextTuple() {
            Utils.sleep(5);
            long n = next++;
            collector.emit(new Values(n), n);
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer declarer) {
            declarer.declare(new Fields("n"));
        }
    }

    public static class SquareBolt extends BaseBasicBolt {
        @Override
        public void execute(Tuple input, BasicOutputCollector collector) {
            long n = input.getLong(0);
            collector.emit(new Values(n, n * n));
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer declarer) {
            declarer.declare(new Fields("n", "square"));
        }
    }

    public static class SumBolt extends BaseBasicBolt {
        private long sum;

        @Override
        public void execute(Tuple input, BasicOutputCollector collector) {
            sum += input.getLong(1);
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer declarer) {
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: JvmTopology NAME [WORKERS]");
            System.exit(2);
        }
        String name = args[0];
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout("numbers", new NumberSpout(), 1);
        builder.setBolt("square", new SquareBolt(), 2).shuffleGrouping("numbers");
        builder.setBolt("sum", new SumBolt(), 1).globalGrouping("square");
        Config conf = new Config();
        conf.setNumWorkers(workers);
        conf.put("gale.conformance.marker", "submitted by " + JvmTopology.class.getName());
        StormSubmitter.submitTopologyWithProgressBar(name, conf, builder.createTopology());
        System.out.println("gale-conformance: submitted " + name);
    }
}
