// StormBytes writes and reads the byte formats of package compat with Storm
// 1.0.0's own classes (storm-core-1.0.0.jar), for compat's cross tests.
//
//	java -cp storm-core-1.0.0.jar:slf4j-api.jar StormBytes.java write <dir>
//	java -cp ... StormBytes.java read <dir>
//
// "write" fills <dir> with Storm-written files (a LocalState directory,
// gzip-thrift ZooKeeper payloads, a stormconf.ser); "read" prints what
// Storm decodes from files of the same names in <dir>.
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.storm.generated.Assignment;
import org.apache.storm.generated.ErrorInfo;
import org.apache.storm.generated.ExecutorInfo;
import org.apache.storm.generated.LSSupervisorAssignments;
import org.apache.storm.generated.LSSupervisorId;
import org.apache.storm.generated.LSWorkerHeartbeat;
import org.apache.storm.generated.LocalAssignment;
import org.apache.storm.generated.NodeInfo;
import org.apache.storm.generated.StormBase;
import org.apache.storm.generated.SupervisorInfo;
import org.apache.storm.generated.TopologyStatus;
import org.apache.storm.utils.LocalState;
import org.apache.storm.utils.Utils;

public class StormBytes {
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[1]);
        if (args[0].equals("write")) {
            write(dir);
        } else {
            read(dir);
        }
    }

    static void write(Path dir) throws Exception {
        LocalState ls = new LocalState(dir.resolve("localstate").toString());
        ls.put("supervisor-id", new LSSupervisorId("sup-java-1"));
        ls.put("worker-heartbeat", new LSWorkerHeartbeat(1700000000, "wc-1-1700000000",
                Arrays.asList(new ExecutorInfo(1, 1), new ExecutorInfo(-1, -1)), 6700), false);
        Map<Integer, LocalAssignment> la = new HashMap<>();
        la.put(6700, new LocalAssignment("wc-1-1700000000", Arrays.asList(new ExecutorInfo(1, 1))));
        ls.put("local-assignments", new LSSupervisorAssignments(la));

        StormBase sb = new StormBase("wordcount", TopologyStatus.ACTIVE, 3);
        sb.set_component_executors(Collections.singletonMap("spout", 5));
        sb.set_launch_time_secs(1700000000);
        sb.set_owner("alice");
        Files.write(dir.resolve("stormbase.ser"), Utils.serialize(sb));

        SupervisorInfo si = new SupervisorInfo(1700000000L, "host-a");
        si.set_assignment_id("sup-1");
        si.set_used_ports(Arrays.asList(6700L));
        si.set_meta(Arrays.asList(6700L, 6701L));
        si.set_uptime_secs(42L);
        si.set_version("1.0.0");
        si.set_resources_map(Collections.singletonMap("supervisor.memory.capacity.mb", 3072.0));
        Files.write(dir.resolve("supervisorinfo.ser"), Utils.serialize(si));

        Assignment a = new Assignment("/storm-local/nimbus/stormdist/wc-1-1700000000");
        a.set_node_host(Collections.singletonMap("sup-1", "host-a"));
        List<Long> exec = Arrays.asList(1L, 1L);
        a.set_executor_node_port(Collections.singletonMap(exec, new NodeInfo("sup-1", Collections.singleton(6700L))));
        a.set_executor_start_time_secs(Collections.singletonMap(exec, 1700000001L));
        Files.write(dir.resolve("assignment.ser"), Utils.serialize(a));

        ErrorInfo ei = new ErrorInfo("java.lang.RuntimeException: boom", 1700000002);
        ei.set_host("host-a");
        ei.set_port(6700);
        Files.write(dir.resolve("errorinfo.ser"), Utils.serialize(ei));

        Map<String, Object> conf = new HashMap<>();
        conf.put("topology.workers", 3L);
        conf.put("topology.stats.sample.rate", 0.05);
        conf.put("supervisor.memory.capacity.mb", 3072.0);
        conf.put("topology.name", "word/count");
        conf.put("storm.zookeeper.servers", Arrays.asList("zk1", "zk2"));
        conf.put("topology.kryo.register", null);
        Files.write(dir.resolve("stormconf.ser"), Utils.toCompressedJsonConf(conf));
    }

    static void read(Path dir) throws Exception {
        LocalState ls = new LocalState(dir.resolve("localstate").toString());
        System.out.println("supervisor-id " + ls.get("supervisor-id"));
        System.out.println("worker-heartbeat " + ls.get("worker-heartbeat"));
        System.out.println("local-assignments " + ls.get("local-assignments"));
        System.out.println("stormbase " + Utils.deserialize(Files.readAllBytes(dir.resolve("stormbase.ser")), StormBase.class));
        System.out.println("supervisorinfo " + Utils.deserialize(Files.readAllBytes(dir.resolve("supervisorinfo.ser")), SupervisorInfo.class));
        System.out.println("assignment " + Utils.deserialize(Files.readAllBytes(dir.resolve("assignment.ser")), Assignment.class));
        System.out.println("errorinfo " + Utils.deserialize(Files.readAllBytes(dir.resolve("errorinfo.ser")), ErrorInfo.class));
        Map<String, Object> conf = Utils.fromCompressedJsonConf(Files.readAllBytes(dir.resolve("stormconf.ser")));
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : new TreeMap<>(conf).entrySet()) {
            Object v = e.getValue();
            sb.append(' ').append(e.getKey()).append('=').append(v).append(':')
              .append(v == null ? "null" : v.getClass().getSimpleName());
        }
        System.out.println("stormconf" + sb);
    }
}
