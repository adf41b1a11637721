package gale.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.StormSubmitter;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.shade.org.json.simple.JSONValue;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;
import org.apache.storm.utils.NimbusClient;
import org.apache.storm.utils.Utils;

/**
 * Builds and runs the benchmark topologies (the Java twins of perf/gale's Go topologies).
 *
 * <pre>
 *   submit NAME TOPOLOGY CONF.json   StormSubmitter (needs -Dstorm.jar); prints SUBMIT_MS= and SUBMITTED_MS=
 *   local  NAME TOPOLOGY CONF.json   LocalCluster in this JVM; prints the same, then runs until killed
 *   kill   NAME                      killTopologyWithOpts(wait 0) on the configured Nimbus
 * </pre>
 *
 * TOPOLOGY is noop, identity, wordcount, multilang or multilang-py; CONF.json is the topology
 * configuration (topology.* keys and the perf.* keys the spout reads; multilang-py's relay runs the
 * Python 2 interpreter named by perf.python).
 */
public final class PerfMain {
    private PerfMain() {}

    /** The conf key naming the Python 2 interpreter of multilang-py's relay. */
    static final String PYTHON = "perf.python";

    static StormTopology build(String topology, Map<String, Object> conf) {
        TopologyBuilder b = new TopologyBuilder();
        switch (topology) {
            case "noop":
                b.setSpout("spout", new PerfSpout("constant"), 1);
                b.setBolt("noop", new Bolts.NoOp(), 1).shuffleGrouping("spout");
                break;
            case "identity":
                b.setSpout("spout", new PerfSpout("constant"), 1);
                b.setBolt("identity", new Bolts.Identity(), 2).localOrShuffleGrouping("spout");
                b.setBolt("noop", new Bolts.NoOp(), 2).localOrShuffleGrouping("identity");
                break;
            case "wordcount":
                b.setSpout("spout", new PerfSpout("sentence"), 1);
                b.setBolt("split", new Bolts.Split(), 2).shuffleGrouping("spout");
                b.setBolt("count", new Bolts.Count(), 2).fieldsGrouping("split", new Fields("word"));
                break;
            case "multilang":
                b.setSpout("spout", new PerfSpout("constant"), 1);
                b.setBolt("relay", new Bolts.NodeRelay(), 1).shuffleGrouping("spout");
                b.setBolt("noop", new Bolts.NoOp(), 1).shuffleGrouping("relay");
                break;
            case "multilang-py": {
                Object python = conf.get(PYTHON);
                if (!(python instanceof String) || ((String) python).isEmpty()) {
                    throw new IllegalArgumentException("multilang-py needs " + PYTHON + " (a Python 2 interpreter) in the conf");
                }
                b.setSpout("spout", new PerfSpout("constant"), 1);
                b.setBolt("relay", new Bolts.PythonRelay((String) python), 1).shuffleGrouping("spout");
                b.setBolt("noop", new Bolts.NoOp(), 1).shuffleGrouping("relay");
                break;
            }
            default:
                throw new IllegalArgumentException("unknown topology " + topology);
        }
        return b.createTopology();
    }

    @SuppressWarnings("unchecked")
    static Config readConf(String path) throws IOException {
        String text = new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
        Object parsed = JSONValue.parse(text);
        if (!(parsed instanceof Map)) {
            throw new IOException(path + ": not a JSON object");
        }
        Config c = new Config();
        c.putAll((Map<String, Object>) parsed);
        return c;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        switch (args[0]) {
            case "submit": {
                if (args.length != 4) {
                    usage();
                }
                Config conf = readConf(args[3]);
                StormTopology topo = build(args[2], conf);
                System.out.println("SUBMIT_MS=" + System.currentTimeMillis());
                StormSubmitter.submitTopology(args[1], conf, topo);
                System.out.println("SUBMITTED_MS=" + System.currentTimeMillis());
                System.out.flush();
                System.exit(0);
                break;
            }
            case "local": {
                if (args.length != 4) {
                    usage();
                }
                Config conf = readConf(args[3]);
                StormTopology topo = build(args[2], conf);
                LocalCluster cluster = new LocalCluster();
                System.out.println("SUBMIT_MS=" + System.currentTimeMillis());
                cluster.submitTopology(args[1], conf, topo);
                System.out.println("SUBMITTED_MS=" + System.currentTimeMillis());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE); // the harness ends this JVM
                break;
            }
            case "kill": {
                Map<String, Object> conf = new HashMap<>(Utils.readStormConfig());
                KillOptions opts = new KillOptions();
                opts.set_wait_secs(0);
                NimbusClient.getConfiguredClient(conf).getClient().killTopologyWithOpts(args[1], opts);
                System.exit(0);
                break;
            }
            default:
                usage();
        }
    }

    private static void usage() {
        System.err.println("usage: PerfMain submit|local NAME TOPOLOGY CONF.json | kill NAME");
        System.exit(2);
    }
}
