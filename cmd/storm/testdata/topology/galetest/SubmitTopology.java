package galetest;

import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;

/** A topology main class as users write them: build, then StormSubmitter. Args: NAME WORKERS. */
public class SubmitTopology {
  public static void main(String[] args) throws Exception {
    TopologyBuilder b = new TopologyBuilder();
    b.setSpout("words", new TestWordSpout(), 2);
    b.setBolt("count", new TestWordCounter(), 3).fieldsGrouping("words", new Fields("word"));
    Config conf = new Config();
    conf.setNumWorkers(Integer.parseInt(args[1]));
    StormSubmitter.submitTopology(args[0], conf, b.createTopology());
    System.out.println("submitted " + args[0]);
  }
}
