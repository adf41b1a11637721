package gale.conformance;

import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.generated.SubmitOptions;
import org.apache.storm.generated.TopologyInitialStatus;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;

/**
 * A topology main class as users write them, run with `storm jar`:
 * a TestWordSpout ("word", parallelism 2) feeding a TestWordCounter
 * ("count", parallelism 3, fields grouping), submitted with
 * StormSubmitter.submitTopologyWithProgressBar.
 *
 * Arguments: NAME [WORKERS] [--inactive]. With --inactive the topology is
 * submitted with SubmitOptions(INACTIVE) (submitTopologyWithOpts).
 */
public class SubmitTopology {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SubmitTopology NAME [WORKERS] [--inactive]");
            System.exit(2);
        }
        String name = args[0];
        int workers = 1;
        boolean inactive = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--inactive")) {
                inactive = true;
            } else {
                workers = Integer.parseInt(args[i]);
            }
        }
        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout("word", new TestWordSpout(), 2);
        builder.setBolt("count", new TestWordCounter(), 3).fieldsGrouping("word", new Fields("word"));
        Config conf = new Config();
        conf.setNumWorkers(workers);
        conf.put("gale.conformance.marker", "submitted by " + SubmitTopology.class.getName());
        if (inactive) {
            StormSubmitter.submitTopologyWithProgressBar(name, conf, builder.createTopology(),
                new SubmitOptions(TopologyInitialStatus.INACTIVE));
        } else {
            StormSubmitter.submitTopologyWithProgressBar(name, conf, builder.createTopology());
        }
        System.out.println("gale-conformance: submitted " + name);
    }
}
