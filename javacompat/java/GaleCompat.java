import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.storm.Config;
import org.apache.storm.StormSubmitter;
import org.apache.storm.blobstore.InputStreamWithMeta;
import org.apache.storm.blobstore.NimbusBlobStore;
import org.apache.storm.generated.AlreadyAliveException;
import org.apache.storm.generated.Assignment;
import org.apache.storm.generated.AuthorizationException;
import org.apache.storm.generated.Bolt;
import org.apache.storm.generated.ClusterSummary;
import org.apache.storm.generated.ComponentCommon;
import org.apache.storm.generated.Credentials;
import org.apache.storm.generated.InvalidTopologyException;
import org.apache.storm.generated.KeyNotFoundException;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.NimbusSummary;
import org.apache.storm.generated.NodeInfo;
import org.apache.storm.generated.NotAliveException;
import org.apache.storm.generated.RebalanceOptions;
import org.apache.storm.generated.SpoutSpec;
import org.apache.storm.generated.StormBase;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.generated.SupervisorInfo;
import org.apache.storm.generated.TopologyStatus;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.generated.WorkerResources;
import org.apache.storm.shade.org.json.simple.JSONValue;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.thrift.TBase;
import org.apache.storm.thrift.TSerializer;
import org.apache.storm.thrift.protocol.TSimpleJSONProtocol;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;
import org.apache.storm.utils.NimbusClient;
import org.apache.storm.utils.Utils;

/**
 * GaleCompat drives Storm 1.0.0's own client classes against a Nimbus. The
 * client configuration is Storm's: Utils.readStormConfig(), i.e.
 * defaults.yaml plus -Dstorm.options (nimbus.seeds, nimbus.thrift.port).
 *
 * Arguments are operations separated by "+"; each prints one JSON line
 * {"op": ..., "ok": true, ...} or {"op": ..., "ok": false, "error":
 * <exception class>, "message": ..., "cause": <class>, "cause_message": ...}
 * (cause only when the exception has one). An exception never stops the run.
 *
 *   submit NAME KIND          StormSubmitter.submitTopology (-Dstorm.jar)
 *   raw-submit NAME KIND      StormSubmitter.submitJar + Nimbus.Client.submitTopology
 *   list                      getClusterInfo
 *   deactivate NAME | activate NAME
 *   rebalance NAME WAIT WORKERS [COMPONENT=N ...]
 *   kill NAME WAIT
 *   wait-status NAME STATUS SECS   poll getClusterInfo (STATUS GONE: absent)
 *   decode TYPE FILE          Utils.deserialize(bytes, TYPE.class) as JSON
 *   encode-supervisor FILE ID HOST PORT...   Utils.serialize(SupervisorInfo)
 *   encode-stormbase FILE NAME OWNER
 *   encode-credentials FILE KEY=VALUE...
 *   download ID DIR           supervisor-style blob download of the code
 *   storm-state ZKHOST ZKPORT ROOT ID SUPERVISOR
 *                             read the cluster state with Storm's own Clojure
 *                             code (cluster/mk-storm-cluster-state, the
 *                             Curator leader elector), as daemons do
 *
 * KIND: word (TestWordSpout x2 -> TestWordCounter x3 by "word", 2 workers),
 * missing (a bolt subscribing to a component that does not exist).
 */
public class GaleCompat {
    public static void main(String[] args) {
        List<String> op = new ArrayList<>();
        for (String a : args) {
            if (a.equals("+")) {
                run(op);
                op = new ArrayList<>();
            } else {
                op.add(a);
            }
        }
        if (!op.isEmpty()) {
            run(op);
        }
        System.out.flush();
        System.exit(0); // Storm's clients leave non-daemon threads behind
    }

    static void run(List<String> op) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("op", op.get(0));
        try {
            dispatch(op.get(0), op.subList(1, op.size()), out);
            out.put("ok", true);
        } catch (Throwable t) {
            out.put("ok", false);
            out.put("error", t.getClass().getSimpleName());
            out.put("message", message(t));
            Throwable cause = t.getCause();
            if (cause != null) {
                out.put("cause", cause.getClass().getSimpleName());
                out.put("cause_message", message(cause));
            }
        }
        System.out.println(JSONValue.toJSONString(out));
        System.out.flush();
    }

    static String message(Throwable t) {
        if (t instanceof AlreadyAliveException) {
            return ((AlreadyAliveException) t).get_msg();
        }
        if (t instanceof InvalidTopologyException) {
            return ((InvalidTopologyException) t).get_msg();
        }
        if (t instanceof NotAliveException) {
            return ((NotAliveException) t).get_msg();
        }
        if (t instanceof AuthorizationException) {
            return ((AuthorizationException) t).get_msg();
        }
        if (t instanceof KeyNotFoundException) {
            return ((KeyNotFoundException) t).get_msg();
        }
        return String.valueOf(t.getMessage());
    }

    static Map conf() {
        return Utils.readStormConfig();
    }

    static void dispatch(String op, List<String> a, Map<String, Object> out) throws Exception {
        switch (op) {
            case "submit":
                StormSubmitter.submitTopology(a.get(0), topoConf(a.get(1)), topology(a.get(1)));
                return;
            case "raw-submit":
                rawSubmit(a.get(0), a.get(1), out);
                return;
            case "list":
                list(out);
                return;
            case "deactivate":
                withClient(c -> c.getClient().deactivate(a.get(0)));
                return;
            case "activate":
                withClient(c -> c.getClient().activate(a.get(0)));
                return;
            case "rebalance": {
                RebalanceOptions ro = new RebalanceOptions();
                ro.set_wait_secs(Integer.parseInt(a.get(1)));
                ro.set_num_workers(Integer.parseInt(a.get(2)));
                for (String kv : a.subList(3, a.size())) {
                    String[] p = kv.split("=", 2);
                    ro.put_to_num_executors(p[0], Integer.parseInt(p[1]));
                }
                withClient(c -> c.getClient().rebalance(a.get(0), ro));
                return;
            }
            case "kill": {
                KillOptions ko = new KillOptions();
                ko.set_wait_secs(Integer.parseInt(a.get(1)));
                withClient(c -> c.getClient().killTopologyWithOpts(a.get(0), ko));
                return;
            }
            case "wait-status":
                waitStatus(a.get(0), a.get(1), Integer.parseInt(a.get(2)), out);
                return;
            case "decode":
                decode(a.get(0), new File(a.get(1)), out);
                return;
            case "encode-supervisor":
                encodeSupervisor(a, out);
                return;
            case "encode-stormbase": {
                StormBase b = new StormBase(a.get(1), TopologyStatus.INACTIVE, 3);
                b.set_launch_time_secs(1460000000);
                b.set_owner(a.get(2));
                b.put_to_component_executors("spout", 2);
                b.put_to_component_executors("__acker", 1);
                Files.write(new File(a.get(0)).toPath(), Utils.serialize(b));
                return;
            }
            case "encode-credentials": {
                Credentials c = new Credentials(new HashMap<String, String>());
                for (String kv : a.subList(1, a.size())) {
                    String[] p = kv.split("=", 2);
                    c.put_to_creds(p[0], p[1]);
                }
                Files.write(new File(a.get(0)).toPath(), Utils.serialize(c));
                return;
            }
            case "download":
                download(a.get(0), new File(a.get(1)), out);
                return;
            case "storm-state":
                stormState(a, out);
                return;
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    interface ClientCall {
        void call(NimbusClient c) throws Exception;
    }

    static void withClient(ClientCall f) throws Exception {
        NimbusClient c = NimbusClient.getConfiguredClient(conf());
        try {
            f.call(c);
        } finally {
            c.close();
        }
    }

    static Map topoConf(String kind) {
        Config c = new Config();
        c.setNumWorkers(2);
        c.put("gale.test.kind", kind);
        return c;
    }

    static StormTopology topology(String kind) {
        TopologyBuilder b = new TopologyBuilder();
        b.setSpout("words", new TestWordSpout(), 2);
        switch (kind) {
            case "word":
                b.setBolt("count", new TestWordCounter(), 3).fieldsGrouping("words", new Fields("word"));
                break;
            case "missing":
                b.setBolt("count", new TestWordCounter(), 3).shuffleGrouping("no-such-component");
                break;
            default:
                throw new IllegalArgumentException("unknown topology kind " + kind);
        }
        return b.createTopology();
    }

    static void rawSubmit(String name, String kind, Map<String, Object> out) throws Exception {
        Map conf = conf();
        String location = StormSubmitter.submitJar(conf, System.getProperty("storm.jar"));
        out.put("location", location);
        String json = JSONValue.toJSONString(topoConf(kind));
        withClient(c -> c.getClient().submitTopology(name, location, json, topology(kind)));
    }

    static void list(Map<String, Object> out) throws Exception {
        withClient(c -> {
            ClusterSummary s = c.getClient().getClusterInfo();
            List<Object> topos = new ArrayList<>();
            for (TopologySummary t : s.get_topologies()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", t.get_id());
                m.put("name", t.get_name());
                m.put("status", t.get_status());
                m.put("num_workers", t.get_num_workers());
                m.put("num_executors", t.get_num_executors());
                m.put("num_tasks", t.get_num_tasks());
                m.put("owner", t.get_owner());
                m.put("uptime_secs", t.get_uptime_secs());
                topos.add(m);
            }
            out.put("topologies", topos);
            List<Object> nims = new ArrayList<>();
            if (s.get_nimbuses() != null) {
                for (NimbusSummary n : s.get_nimbuses()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("host", n.get_host());
                    m.put("port", n.get_port());
                    m.put("is_leader", n.is_isLeader());
                    m.put("version", n.get_version());
                    nims.add(m);
                }
            }
            out.put("nimbuses", nims);
            out.put("supervisors", s.get_supervisors_size());
        });
    }

    static void waitStatus(String name, String want, int secs, Map<String, Object> out) throws Exception {
        long deadline = System.currentTimeMillis() + secs * 1000L;
        long start = System.currentTimeMillis();
        NimbusClient c = NimbusClient.getConfiguredClient(conf());
        try {
            String last = "GONE";
            while (true) {
                last = "GONE";
                for (TopologySummary t : c.getClient().getClusterInfo().get_topologies()) {
                    if (t.get_name().equals(name)) {
                        last = t.get_status();
                    }
                }
                if (last.equals(want) || System.currentTimeMillis() > deadline) {
                    break;
                }
                Thread.sleep(200);
            }
            out.put("status", last);
            out.put("reached", last.equals(want));
            out.put("millis", System.currentTimeMillis() - start);
        } finally {
            c.close();
        }
    }

    static final Map<String, Class<? extends TBase>> TYPES = new HashMap<>();
    static {
        TYPES.put("StormBase", StormBase.class);
        TYPES.put("Assignment", Assignment.class);
        TYPES.put("Credentials", Credentials.class);
        TYPES.put("SupervisorInfo", SupervisorInfo.class);
        TYPES.put("NimbusSummary", NimbusSummary.class);
        TYPES.put("StormTopology", StormTopology.class);
        TYPES.put("ErrorInfo", org.apache.storm.generated.ErrorInfo.class);
        TYPES.put("LogConfig", org.apache.storm.generated.LogConfig.class);
    }

    static void decode(String type, File f, Map<String, Object> out) throws Exception {
        Class<? extends TBase> c = TYPES.get(type);
        if (c == null) {
            throw new IllegalArgumentException("unknown type " + type);
        }
        TBase v = Utils.deserialize(Files.readAllBytes(f.toPath()), c);
        out.put("type", type);
        if (v instanceof Assignment) {
            out.put("value", describe((Assignment) v));
        } else {
            String json = new TSerializer(new TSimpleJSONProtocol.Factory()).toString(v, "UTF-8");
            out.put("value", JSONValue.parse(json));
        }
        if (v instanceof StormBase) {
            out.put("status_name", ((StormBase) v).get_status().name());
        }
    }

    static Map<String, Object> describe(Assignment a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("master_code_dir", a.get_master_code_dir());
        d.put("node_host", a.get_node_host());
        List<Object> enp = new ArrayList<>();
        for (Map.Entry<List<Long>, NodeInfo> e : a.get_executor_node_port().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("executor", new ArrayList<>(e.getKey()));
            m.put("node", e.getValue().get_node());
            m.put("ports", new ArrayList<>(e.getValue().get_port()));
            Long start = a.get_executor_start_time_secs().get(e.getKey());
            m.put("start_time_secs", start);
            enp.add(m);
        }
        d.put("executor_node_port", enp);
        d.put("executor_start_time_secs_size", a.get_executor_start_time_secs_size());
        List<Object> res = new ArrayList<>();
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
        d.put("worker_resources", res);
        return d;
    }

    // encodeSupervisor builds a SupervisorInfo as a 1.0.0 supervisor
    // heartbeat does (converter/thriftify-supervisor-info).
    static void encodeSupervisor(List<String> a, Map<String, Object> out) throws Exception {
        List<Long> ports = new ArrayList<>();
        for (String p : a.subList(3, a.size())) {
            ports.add(Long.parseLong(p));
        }
        SupervisorInfo info = new SupervisorInfo();
        info.set_time_secs(System.currentTimeMillis() / 1000);
        info.set_hostname(a.get(2));
        info.set_assignment_id(a.get(1));
        info.set_used_ports(new ArrayList<Long>());
        info.set_meta(ports);
        info.set_scheduler_meta(new HashMap<String, String>());
        info.set_uptime_secs(5);
        info.set_version("1.0.0");
        Map<String, Double> res = new HashMap<>();
        res.put("supervisor.memory.capacity.mb", 3072.0);
        res.put("supervisor.cpu.capacity", 400.0);
        info.set_resources_map(res);
        Files.write(new File(a.get(0)).toPath(), Utils.serialize(info));
    }

    // download fetches the three code blobs as a supervisor does
    // (Utils.downloadResourcesAsSupervisor over NimbusBlobStore) and reads
    // them back the way a worker does.
    static void download(String id, File dir, Map<String, Object> out) throws Exception {
        Map conf = conf();
        NimbusBlobStore blobs = new NimbusBlobStore();
        blobs.prepare(conf);
        try {
            Map<String, Object> files = new LinkedHashMap<>();
            String[][] keys = {
                {id + "-stormjar.jar", "stormjar.jar"},
                {id + "-stormcode.ser", "stormcode.ser"},
                {id + "-stormconf.ser", "stormconf.ser"},
            };
            for (String[] k : keys) {
                File local = new File(dir, k[1]);
                Utils.downloadResourcesAsSupervisor(k[0], local.getPath(), blobs);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("exists", local.exists());
                m.put("size", local.exists() ? local.length() : -1);
                InputStreamWithMeta in = blobs.getBlob(k[0]);
                m.put("data_size", in.getFileLength());
                m.put("version", in.getVersion());
                in.close();
                m.put("replication", blobs.getBlobReplication(k[0]));
                m.put("acl", String.valueOf(blobs.getBlobMeta(k[0]).get_settable().get_acl()));
                files.put(k[1], m);
            }
            out.put("files", files);
            List<String> listed = new ArrayList<>();
            for (Iterator<String> it = blobs.listKeys(); it.hasNext();) {
                listed.add(it.next());
            }
            out.put("keys", listed);

            StormTopology topo = Utils.deserialize(Files.readAllBytes(new File(dir, "stormcode.ser").toPath()),
                    StormTopology.class);
            Map<String, Object> comps = new LinkedHashMap<>();
            for (Map.Entry<String, SpoutSpec> e : topo.get_spouts().entrySet()) {
                comps.put(e.getKey(), component("spout", e.getValue().get_common()));
            }
            for (Map.Entry<String, Bolt> e : topo.get_bolts().entrySet()) {
                comps.put(e.getKey(), component("bolt", e.getValue().get_common()));
            }
            out.put("components", comps);
            Map<String, Object> stormConf = Utils.fromCompressedJsonConf(
                    Files.readAllBytes(new File(dir, "stormconf.ser").toPath()));
            out.put("conf", stormConf);
        } finally {
            blobs.shutdown();
        }
    }

    static Map<String, Object> component(String kind, ComponentCommon common) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("parallelism_hint", common.is_set_parallelism_hint() ? common.get_parallelism_hint() : null);
        m.put("json_conf", common.is_set_json_conf() ? JSONValue.parse(common.get_json_conf()) : null);
        m.put("inputs", common.get_inputs_size());
        return m;
    }

    // STORM_STATE is evaluated by Clojure: it reads the cluster state the way
    // Storm 1.0.0's supervisor and workers do, and Nimbus's leader elector.
    static final String STORM_STATE = """
        (fn [zk-host zk-port root storm-id sup-id]
          (let [conf (merge (org.apache.storm.util/clojurify-structure
                              (org.apache.storm.utils.Utils/readStormConfig))
                            {"storm.zookeeper.servers" [zk-host]
                             "storm.zookeeper.port" (Long/parseLong zk-port)
                             "storm.zookeeper.root" root})
                st (org.apache.storm.cluster/mk-storm-cluster-state conf)
                le (org.apache.storm.zookeeper/zk-leader-elector conf)]
            (try
              (let [base (.storm-base st storm-id nil)
                    {:keys [data version]} (.assignment-info-with-version st storm-id nil)
                    sup (.supervisor-info st sup-id)
                    leader (.getLeader le)]
                {"assignments" (vec (.assignments st nil))
                 "active_storms" (vec (.active-storms st))
                 "heartbeat_storms" (vec (.heartbeat-storms st))
                 "supervisors" (vec (.supervisors st nil))
                 "storm_base" (when base
                                {"name" (:storm-name base)
                                 "status" (name (:type (:status base)))
                                 "num_workers" (:num-workers base)
                                 "component_executors" (into {} (:component->executors base))
                                 "owner" (:owner base)
                                 "launch_time_secs" (:launch-time-secs base)})
                 "assignment_version" version
                 "assignment" (when data
                                {"master_code_dir" (:master-code-dir data)
                                 "node_host" (into {} (:node->host data))
                                 "executors" (vec (for [[e np] (:executor->node+port data)]
                                                    {"executor" (vec e) "node" (first np) "port" (second np)}))
                                 "start_times" (count (:executor->start-time-secs data))
                                 "worker_resources" (count (:worker->resources data))})
                 "supervisor" (when sup
                                {"hostname" (:hostname sup)
                                 "assignment_id" (:assignment-id sup)
                                 "meta" (vec (:meta sup))
                                 "version" (:version sup)})
                 "credentials" (.credentials st storm-id nil)
                 "nimbuses" (vec (for [n (.nimbuses st)]
                                   {"host" (.get_host n) "port" (.get_port n) "version" (.get_version n)}))
                 "blobstore" (into {} (for [k (.blobstore st nil)] [k (vec (.blobstore-info st k))]))
                 "backpressure" (.topology-backpressure st storm-id nil)
                 "leader" (when leader (.toHostPortString leader))
                 "all_nimbuses" (vec (for [n (.getAllNimbuses le)] (.toHostPortString n)))})
              (finally
                (.close le)
                (.disconnect st)))))
        """;

    static void stormState(List<String> a, Map<String, Object> out) {
        clojure.lang.IFn require = clojure.java.api.Clojure.var("clojure.core", "require");
        for (String ns : new String[] {"org.apache.storm.util", "org.apache.storm.cluster", "org.apache.storm.zookeeper"}) {
            require.invoke(clojure.java.api.Clojure.read(ns));
        }
        clojure.lang.IFn eval = clojure.java.api.Clojure.var("clojure.core", "eval");
        clojure.lang.IFn f = (clojure.lang.IFn) eval.invoke(clojure.java.api.Clojure.read(STORM_STATE));
        out.put("state", f.applyTo(clojure.lang.RT.seq(a)));
    }
}
