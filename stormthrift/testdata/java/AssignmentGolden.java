import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import clojure.java.api.Clojure;
import clojure.lang.IFn;
import org.apache.storm.generated.Assignment;
import org.apache.storm.generated.NodeInfo;
import org.apache.storm.generated.WorkerResources;
import org.apache.storm.shade.org.json.simple.JSONValue;
import org.apache.storm.thrift.TDeserializer;
import org.apache.storm.thrift.TSerializer;

/**
 * AssignmentGolden writes and reads Storm 1.0.0 Assignment structs with
 * Storm's own generated classes and (shaded) Thrift library.
 *
 *   write DIR      writes assignment_CASE.bin (plain TBinary bytes, as
 *                  TSerializer makes them; ZK adds gzip on top) and
 *                  assignment_CASE.json (the values, maps in wire order)
 *   read FILE...   decodes each file and prints one JSON line per file:
 *                  {"file", "assignment": description, "reencoded_equal"}
 */
public class AssignmentGolden {
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("write")) {
            write(new File(args[1]));
        } else if (args.length >= 1 && args[0].equals("read")) {
            for (int i = 1; i < args.length; i++) {
                read(new File(args[i]));
            }
        } else {
            System.err.println("usage: AssignmentGolden write DIR | read FILE...");
            System.exit(2);
        }
    }

    static void write(File dir) throws Exception {
        Map<String, Assignment> cases = new LinkedHashMap<>();
        cases.put("empty", new Assignment("/var/storm"));
        cases.put("one_executor", oneExecutor());
        cases.put("two_nodes", twoNodes());
        cases.put("nimbus_clojure", nimbusClojure());
        TSerializer ser = new TSerializer();
        for (Map.Entry<String, Assignment> e : cases.entrySet()) {
            String base = "assignment_" + e.getKey();
            Files.write(new File(dir, base + ".bin").toPath(), ser.serialize(e.getValue()));
            Files.write(new File(dir, base + ".json").toPath(),
                    (JSONValue.toJSONString(describe(e.getValue())) + "\n").getBytes("UTF-8"));
        }
    }

    static void read(File f) throws Exception {
        byte[] in = Files.readAllBytes(f.toPath());
        Assignment a = new Assignment();
        new TDeserializer().deserialize(a, in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", f.getName());
        out.put("assignment", describe(a));
        out.put("reencoded_equal", Arrays.equals(in, new TSerializer().serialize(a)));
        System.out.println(JSONValue.toJSONString(out));
    }

    static List<Long> exec(long first, long last) {
        return new ArrayList<>(Arrays.asList(first, last));
    }

    static NodeInfo node(String id, long... ports) {
        Set<Long> set = new HashSet<>();
        for (long p : ports) {
            set.add(p);
        }
        return new NodeInfo(id, set);
    }

    static Assignment oneExecutor() {
        Assignment a = new Assignment("/var/storm");
        Map<String, String> hosts = new HashMap<>();
        hosts.put("sup-a", "host-a.example.com");
        a.set_node_host(hosts);
        Map<List<Long>, NodeInfo> enp = new HashMap<>();
        enp.put(exec(1, 1), node("sup-a", 6700));
        a.set_executor_node_port(enp);
        Map<List<Long>, Long> start = new HashMap<>();
        start.put(exec(1, 1), 1460000000L);
        a.set_executor_start_time_secs(start);
        return a;
    }

    // twoNodes: executors of a 12-task topology on two supervisors, three
    // slots; HashMap order is neither insertion nor sorted order.
    static Assignment twoNodes() {
        Assignment a = new Assignment("storm-local");
        Map<String, String> hosts = new HashMap<>();
        hosts.put("f3d5c0e2-5b7a-4c2e-9a77-0d1c1f0e2a11", "worker-1.example.com");
        hosts.put("0a6b2c44-9e1d-4f8a-8f35-7c9b6e5d4c33", "worker-2.example.com");
        a.set_node_host(hosts);
        String n1 = "f3d5c0e2-5b7a-4c2e-9a77-0d1c1f0e2a11";
        String n2 = "0a6b2c44-9e1d-4f8a-8f35-7c9b6e5d4c33";
        long[][] execs = {{1, 1}, {2, 2}, {3, 4}, {5, 6}, {7, 7}, {8, 10}, {11, 11}, {12, 12}};
        NodeInfo[] slots = {node(n1, 6700), node(n1, 6701), node(n2, 6702)};
        Map<List<Long>, NodeInfo> enp = new HashMap<>();
        Map<List<Long>, Long> start = new HashMap<>();
        for (int i = 0; i < execs.length; i++) {
            enp.put(exec(execs[i][0], execs[i][1]), slots[i % slots.length]);
            start.put(exec(execs[i][0], execs[i][1]), 1460000000L + 7 * i);
        }
        a.set_executor_node_port(enp);
        a.set_executor_start_time_secs(start);
        Map<NodeInfo, WorkerResources> res = new HashMap<>();
        WorkerResources full = new WorkerResources();
        full.set_mem_on_heap(768.0);
        full.set_mem_off_heap(0.0);
        full.set_cpu(50.5);
        res.put(slots[0], full);
        WorkerResources heapOnly = new WorkerResources();
        heapOnly.set_mem_on_heap(128.25);
        res.put(slots[1], heapOnly);
        res.put(slots[2], new WorkerResources());
        a.set_worker_resources(res);
        return a;
    }

    // nimbusClojure builds the Assignment the way Nimbus 1.0.0 does:
    // converter/thriftify-assignment over Clojure maps (whose iteration
    // order, a hash-array-mapped trie above eight entries, is the wire order).
    static Assignment nimbusClojure() {
        IFn require = Clojure.var("clojure.core", "require");
        require.invoke(Clojure.read("org.apache.storm.converter"));
        StringBuilder enp = new StringBuilder();
        StringBuilder start = new StringBuilder();
        String[][] slots = {{"sup-a", "6700"}, {"sup-b", "6700"}, {"sup-a", "6701"}};
        for (int t = 1; t <= 10; t++) {
            String[] s = slots[t % slots.length];
            enp.append(String.format("[%d %d] [\"%s\" %s] ", t, t, s[0], s[1]));
            start.append(String.format("[%d %d] %d ", t, t, 1460000100 + t));
        }
        String form = "(org.apache.storm.converter/thriftify-assignment"
                + " {:master-code-dir \"/var/storm\""
                + " :node->host {\"sup-a\" \"10.0.0.1\" \"sup-b\" \"10.0.0.2\"}"
                + " :executor->node+port {" + enp + "}"
                + " :executor->start-time-secs {" + start + "}"
                + " :worker->resources {[\"sup-a\" 6700] [768.0 0.0 10.0]"
                + " [\"sup-b\" 6700] [768.0 0.0 10.0] [\"sup-a\" 6701] [512.5 64.0 0.0]}})";
        IFn eval = Clojure.var("clojure.core", "eval");
        return (Assignment) eval.invoke(Clojure.read(form));
    }

    // describe lists every map in iteration order, which for a decoded or
    // just-built Assignment is the order TSerializer writes.
    static Map<String, Object> describe(Assignment a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("master_code_dir", a.get_master_code_dir());
        List<Object> hosts = new ArrayList<>();
        if (a.get_node_host() != null) {
            for (Map.Entry<String, String> e : a.get_node_host().entrySet()) {
                hosts.add(Arrays.asList(e.getKey(), e.getValue()));
            }
        }
        d.put("node_host", hosts);
        List<Object> enp = new ArrayList<>();
        if (a.get_executor_node_port() != null) {
            for (Map.Entry<List<Long>, NodeInfo> e : a.get_executor_node_port().entrySet()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("executor", new ArrayList<>(e.getKey()));
                m.put("node", e.getValue().get_node());
                m.put("ports", new ArrayList<>(e.getValue().get_port()));
                enp.add(m);
            }
        }
        d.put("executor_node_port", enp);
        List<Object> start = new ArrayList<>();
        if (a.get_executor_start_time_secs() != null) {
            for (Map.Entry<List<Long>, Long> e : a.get_executor_start_time_secs().entrySet()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("executor", new ArrayList<>(e.getKey()));
                m.put("start_time_secs", e.getValue());
                start.add(m);
            }
        }
        d.put("executor_start_time_secs", start);
        List<Object> res = new ArrayList<>();
        if (a.get_worker_resources() != null) {
            for (Map.Entry<NodeInfo, WorkerResources> e : a.get_worker_resources().entrySet()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", e.getKey().get_node());
                m.put("ports", new ArrayList<>(e.getKey().get_port()));
                WorkerResources w = e.getValue();
                m.put("mem_on_heap", w.is_set_mem_on_heap() ? w.get_mem_on_heap() : null);
                m.put("mem_off_heap", w.is_set_mem_off_heap() ? w.get_mem_off_heap() : null);
                m.put("cpu", w.is_set_cpu() ? w.get_cpu() : null);
                res.add(m);
            }
        }
        d.put("worker_resources", res);
        return d;
    }
}
