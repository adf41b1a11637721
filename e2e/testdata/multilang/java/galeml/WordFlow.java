package galeml;

import java.io.File;
import java.nio.file.Files;

import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.StormSubmitter;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;

/**
 * TestWordSpout → Node.js bolt (storm.js) → Python bolt (pystorm) →
 * TestWordCounter → Ruby bolt (storm.rb) writing (word, count) lines to
 * files under the directory gale.test.out.
 *
 * Arguments: submit NAME OUT PYTHON — StormSubmitter to the cluster;
 * local NAME OUT PYTHON LINES — Storm's LocalCluster until the sink wrote
 * LINES lines (at most two minutes), then shut down.
 */
public class WordFlow {
    static StormTopology topology(String python) {
        TopologyBuilder b = new TopologyBuilder();
        b.setSpout("words", new TestWordSpout(), 2);
        b.setBolt("upper", new Shells.UpperJs(), 2).shuffleGrouping("words");
        b.setBolt("shout", new Shells.ShoutPy(python), 2).shuffleGrouping("upper");
        b.setBolt("count", new TestWordCounter(), 2).fieldsGrouping("shout", new Fields("word"));
        b.setBolt("sink", new Shells.SinkRb(), 1).shuffleGrouping("count");
        return b.createTopology();
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0], name = args[1], out = args[2], python = args[3];
        Config conf = new Config();
        conf.put("gale.test.out", out);
        conf.setNumWorkers(2);
        if (mode.equals("submit")) {
            StormSubmitter.submitTopology(name, conf, topology(python));
            return;
        }
        int want = Integer.parseInt(args[4]);
        long deadline = System.currentTimeMillis() + 120_000;
        LocalCluster cluster = new LocalCluster();
        cluster.submitTopology(name, conf, topology(python));
        int n = 0;
        while ((n = lines(new File(out))) < want && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        System.out.println("local cluster sink lines: " + n);
        System.out.flush();
        cluster.shutdown();
        System.exit(n >= want ? 0 : 1);
    }

    static int lines(File dir) throws Exception {
        int n = 0;
        File[] files = dir.listFiles();
        if (files == null) {
            return 0;
        }
        for (File f : files) {
            if (f.getName().startsWith("sink-")) {
                n += Files.readAllLines(f.toPath()).size();
            }
        }
        return n;
    }
}
