import java.util.Map;

import org.apache.storm.generated.ExecutorSpecificStats;
import org.apache.storm.generated.ExecutorStats;
import org.apache.storm.generated.ExecutorSummary;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.generated.TopologyInfo;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.utils.NimbusClient;
import org.apache.storm.utils.Utils;

/**
 * Reads getTopologyInfo with Storm 1.0.0's own NimbusClient (configuration:
 * Utils.readStormConfig, i.e. defaults plus -Dstorm.options) and prints it
 * as lines of fields:
 *
 *   topology ID NAME STATUS UPTIME_SECS
 *   executor COMPONENT TASK_START TASK_END HOST PORT UPTIME_SECS HAS_STATS EMITTED ACKED FAILED
 *
 * EMITTED sums the all-time emitted counts of non-system streams; ACKED and
 * FAILED are the spout's (trees) or the bolt's (inputs from non-system
 * components), all-time.
 */
public class TopologyInfoDump {
    public static void main(String[] args) throws Exception {
        String name = args[0];
        NimbusClient c = NimbusClient.getConfiguredClient(Utils.readStormConfig());
        try {
            String id = null;
            for (TopologySummary s : c.getClient().getClusterInfo().get_topologies()) {
                if (s.get_name().equals(name)) {
                    id = s.get_id();
                }
            }
            if (id == null) {
                System.err.println("no topology " + name);
                System.exit(3);
            }
            TopologyInfo info = c.getClient().getTopologyInfo(id);
            System.out.println("topology " + info.get_id() + " " + info.get_name() + " " + info.get_status() + " "
                    + info.get_uptime_secs());
            for (ExecutorSummary e : info.get_executors()) {
                long emitted = 0, acked = 0, failed = 0;
                ExecutorStats st = e.get_stats();
                if (st != null) {
                    Map<String, Long> em = st.get_emitted().get(":all-time");
                    if (em != null) {
                        for (Map.Entry<String, Long> x : em.entrySet()) {
                            if (!x.getKey().startsWith("__")) {
                                emitted += x.getValue();
                            }
                        }
                    }
                    ExecutorSpecificStats sp = st.get_specific();
                    if (sp.is_set_spout()) {
                        acked = sum(sp.get_spout().get_acked().get(":all-time"));
                        failed = sum(sp.get_spout().get_failed().get(":all-time"));
                    } else if (sp.is_set_bolt()) {
                        acked = sumInputs(sp.get_bolt().get_acked().get(":all-time"));
                        failed = sumInputs(sp.get_bolt().get_failed().get(":all-time"));
                    }
                }
                System.out.println("executor " + e.get_component_id() + " " + e.get_executor_info().get_task_start() + " "
                        + e.get_executor_info().get_task_end() + " " + e.get_host() + " " + e.get_port() + " "
                        + e.get_uptime_secs() + " " + (st != null) + " " + emitted + " " + acked + " " + failed);
            }
        } finally {
            c.close();
        }
    }

    private static long sum(Map<String, Long> m) {
        long n = 0;
        if (m != null) {
            for (Long v : m.values()) {
                n += v;
            }
        }
        return n;
    }

    private static long sumInputs(Map<GlobalStreamId, Long> m) {
        long n = 0;
        if (m != null) {
            for (Map.Entry<GlobalStreamId, Long> x : m.entrySet()) {
                if (!x.getKey().get_componentId().startsWith("__")) {
                    n += x.getValue();
                }
            }
        }
        return n;
    }
}
