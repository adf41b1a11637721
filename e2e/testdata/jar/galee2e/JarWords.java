package galee2e;

import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.testing.TestGlobalCount;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.TopologyBuilder;

/**
 * An ordinary Storm 1.0.0 topology main class for `storm jar`: storm-core's
 * TestWordSpout shuffled into TestGlobalCount bolts, over two workers.
 * Argument: the topology name.
 */
public class JarWords {
    public static void main(String[] args) throws Exception {
        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout("words", new TestWordSpout(), 2);
        builder.setBolt("count", new TestGlobalCount(), 3).shuffleGrouping("words");
        Config conf = new Config();
        conf.setNumWorkers(2);
        StormSubmitter.submitTopology(args[0], conf, builder.createTopology());
    }
}
