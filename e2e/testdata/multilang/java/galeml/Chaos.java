package galeml;

import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.topology.TopologyBuilder;

/**
 * One topology per misbehaviour: a durable pystorm spout of ids 0..n-1
 * into a pystorm bolt that misbehaves once, at id gale.test.trip, as
 * gale.test.mode says (see resources/chaos.py).
 *
 * Arguments: OUTROOT PYTHON MODE... — submits "chaos-MODE" with its files
 * under OUTROOT/MODE.
 */
public class Chaos {
    public static void main(String[] args) throws Exception {
        String root = args[0], python = args[1];
        for (int i = 2; i < args.length; i++) {
            String mode = args[i];
            TopologyBuilder b = new TopologyBuilder();
            b.setSpout("source", new Shells.SourcePy(python), 1);
            b.setBolt("chaos", new Shells.ChaosPy(python), 1).shuffleGrouping("source");
            Config conf = new Config();
            conf.put("gale.test.out", root + "/" + mode);
            conf.put("gale.test.mode", mode);
            conf.put("gale.test.n", 30);
            conf.put("gale.test.trip", 10);
            conf.setNumWorkers(1);
            conf.setNumAckers(1);
            conf.setMaxSpoutPending(4);
            conf.put("topology.subprocess.timeout.secs", 3);
            StormSubmitter.submitTopology("chaos-" + mode, conf, b.createTopology());
        }
    }
}
