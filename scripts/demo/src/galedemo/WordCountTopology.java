package galedemo;

import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;

/**
 * An ordinary Storm 1.0.0 topology main class, built against storm-core and
 * submitted with `storm jar`: a spout of random words, fields-grouped into a
 * counting bolt. Argument: the topology name.
 */
public class WordCountTopology {
  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "word-count";
    TopologyBuilder builder = new TopologyBuilder();
    builder.setSpout("words", new TestWordSpout(), 2);
    builder.setBolt("count", new TestWordCounter(), 3).fieldsGrouping("words", new Fields("word"));
    Config conf = new Config();
    conf.setNumWorkers(2);
    StormSubmitter.submitTopology(name, conf, builder.createTopology());
  }
}
