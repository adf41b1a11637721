package gale.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.storm.Config;
import org.apache.storm.blobstore.BlobStoreAclHandler;
import org.apache.storm.generated.BeginDownloadResult;
import org.apache.storm.generated.ClusterSummary;
import org.apache.storm.generated.ComponentPageInfo;
import org.apache.storm.generated.ComponentType;
import org.apache.storm.generated.Credentials;
import org.apache.storm.generated.DebugOptions;
import org.apache.storm.generated.GetInfoOptions;
import org.apache.storm.generated.KeyNotFoundException;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.ListBlobsResult;
import org.apache.storm.generated.LogConfig;
import org.apache.storm.generated.LogLevel;
import org.apache.storm.generated.LogLevelAction;
import org.apache.storm.generated.Nimbus;
import org.apache.storm.generated.NimbusSummary;
import org.apache.storm.generated.NodeInfo;
import org.apache.storm.generated.NumErrorsChoice;
import org.apache.storm.generated.ProfileAction;
import org.apache.storm.generated.ProfileRequest;
import org.apache.storm.generated.ReadableBlobMeta;
import org.apache.storm.generated.RebalanceOptions;
import org.apache.storm.generated.SettableBlobMeta;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.generated.SubmitOptions;
import org.apache.storm.generated.TopologyHistoryInfo;
import org.apache.storm.generated.TopologyInfo;
import org.apache.storm.generated.TopologyInitialStatus;
import org.apache.storm.generated.TopologyPageInfo;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.shade.org.json.simple.JSONValue;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;
import org.apache.storm.utils.NimbusClient;
import org.apache.storm.utils.Utils;

/**
 * Calls every method of Storm 1.0.0's Nimbus service through Storm's own
 * client classes (NimbusClient leader discovery, then the generated
 * Nimbus.Client), with meaningful arguments, and checks each answer.
 * Prints one JSON line per call:
 * {"method": M, "ok": true|false, "detail": "..."}; exits 0 even when a
 * check fails, so the runner reports every method.
 *
 * Argument: a prefix for the topology names and the blob key.
 */
public class NimbusMethods {
    private final Nimbus.Client nimbus;
    private int failures;

    private NimbusMethods(Nimbus.Client nimbus) {
        this.nimbus = nimbus;
    }

    interface Call {
        String run() throws Exception;
    }

    /** Runs one call; its string is the detail, a thrown error a failure. */
    private boolean call(String method, Call c) {
        boolean ok;
        String detail;
        try {
            detail = c.run();
            ok = true;
        } catch (Throwable e) {
            detail = e.toString();
            ok = false;
            failures++;
        }
        System.out.println("{\"method\":" + Json.str(method) + ",\"ok\":" + ok + ",\"detail\":" + Json.str(detail) + "}");
        System.out.flush();
        return ok;
    }

    private static void check(boolean cond, String what) {
        if (!cond) {
            throw new AssertionError(what);
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    private static byte[] tinyJar() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifest mf = new Manifest();
        mf.getMainAttributes().putValue("Manifest-Version", "1.0");
        new JarOutputStream(out, mf).close();
        return out.toByteArray();
    }

    private static StormTopology topology() {
        TopologyBuilder b = new TopologyBuilder();
        b.setSpout("word", new TestWordSpout(), 2);
        b.setBolt("count", new TestWordCounter(), 3).fieldsGrouping("word", new Fields("word"));
        return b.createTopology();
    }

    private TopologySummary summary(String name) throws Exception {
        for (TopologySummary t : nimbus.getClusterInfo().get_topologies()) {
            if (t.get_name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    private String waitStatus(String name, String status, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        String got = null;
        while (System.currentTimeMillis() < end) {
            TopologySummary t = summary(name);
            got = t == null ? null : t.get_status();
            if (status == null ? got == null : status.equals(got)) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("topology " + name + " status " + got + ", want " + status);
    }

    private String download(String session, boolean blob) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            ByteBuffer chunk = blob ? nimbus.downloadBlobChunk(session) : nimbus.downloadChunk(session);
            if (chunk == null || chunk.remaining() == 0) {
                return sb.toString();
            }
            sb.append(string(chunk));
        }
        throw new AssertionError("download did not end");
    }

    public static void main(String[] args) throws Exception {
        String prefix = args.length > 0 ? args[0] : "methods";
        Map conf = Utils.readStormConfig();
        NimbusClient client = NimbusClient.getConfiguredClient(conf);
        NimbusMethods m = new NimbusMethods(client.getClient());
        m.runAll(prefix);
        client.close();
        System.out.println("{\"done\":true,\"failures\":" + m.failures + "}");
    }

    private void runAll(final String prefix) throws Exception {
        final String name = prefix + "-a";
        final String name2 = prefix + "-b";
        final String key = prefix + "-blob";
        final String user = System.getProperty("user.name");
        final Map<String, String> ids = new HashMap<>();

        call("getClusterInfo", () -> {
            ClusterSummary cs = nimbus.getClusterInfo();
            boolean leader = false;
            for (NimbusSummary n : cs.get_nimbuses()) {
                leader |= n.is_isLeader();
            }
            check(leader, "no leader among " + cs.get_nimbuses());
            return cs.get_nimbuses_size() + " nimbus(es), " + cs.get_supervisors_size() + " supervisor(s), "
                + cs.get_topologies_size() + " topologies";
        });
        call("getNimbusConf", () -> {
            Map c = (Map) JSONValue.parse(nimbus.getNimbusConf());
            check(c != null && c.containsKey(Config.NIMBUS_THRIFT_PORT), "conf lacks nimbus.thrift.port");
            return c.size() + " keys, nimbus.thrift.port=" + c.get(Config.NIMBUS_THRIFT_PORT);
        });

        final String[] location = new String[1];
        call("beginFileUpload", () -> {
            location[0] = nimbus.beginFileUpload();
            check(location[0] != null && !location[0].isEmpty(), "empty location");
            return location[0];
        });
        call("uploadChunk", () -> {
            nimbus.uploadChunk(location[0], ByteBuffer.wrap(tinyJar()));
            return "uploaded a jar";
        });
        call("finishFileUpload", () -> {
            nimbus.finishFileUpload(location[0]);
            return "finished";
        });
        final Map<String, Object> topoConf = new HashMap<>();
        topoConf.put(Config.TOPOLOGY_WORKERS, 1);
        final String jsonConf = JSONValue.toJSONString(topoConf);
        call("submitTopology", () -> {
            nimbus.submitTopology(name, location[0], jsonConf, topology());
            waitStatus(name, "ACTIVE", 10000);
            ids.put(name, summary(name).get_id());
            return ids.get(name) + " ACTIVE";
        });
        call("submitTopologyWithOpts", () -> {
            String loc = nimbus.beginFileUpload();
            nimbus.uploadChunk(loc, ByteBuffer.wrap(tinyJar()));
            nimbus.finishFileUpload(loc);
            nimbus.submitTopologyWithOpts(name2, loc, jsonConf, topology(),
                new SubmitOptions(TopologyInitialStatus.INACTIVE));
            waitStatus(name2, "INACTIVE", 10000);
            ids.put(name2, summary(name2).get_id());
            return ids.get(name2) + " INACTIVE";
        });
        final String id = ids.get(name);
        call("getTopologyInfo", () -> {
            TopologyInfo ti = nimbus.getTopologyInfo(id);
            check(name.equals(ti.get_name()) && id.equals(ti.get_id()), "name/id " + ti.get_name() + "/" + ti.get_id());
            return ti.get_status() + ", " + ti.get_executors_size() + " executors";
        });
        call("getTopologyInfoWithOpts", () -> {
            GetInfoOptions o = new GetInfoOptions();
            o.set_num_err_choice(NumErrorsChoice.ONE);
            TopologyInfo ti = nimbus.getTopologyInfoWithOpts(id, o);
            check(name.equals(ti.get_name()), "name " + ti.get_name());
            return ti.get_status();
        });
        call("getTopologyPageInfo", () -> {
            TopologyPageInfo p = nimbus.getTopologyPageInfo(id, ":all-time", false);
            check(id.equals(p.get_id()) && name.equals(p.get_name()), "id/name " + p.get_id() + "/" + p.get_name());
            check(p.get_topology_stats() != null, "topology_stats unset (the UI needs it)");
            return p.get_status() + ", " + p.get_num_tasks() + " tasks";
        });
        call("getComponentPageInfo", () -> {
            ComponentPageInfo c = nimbus.getComponentPageInfo(id, "word", ":all-time", false);
            check(c.get_component_type() == ComponentType.SPOUT, "component_type " + c.get_component_type());
            check("word".equals(c.get_component_id()), "component_id " + c.get_component_id());
            return c.get_component_type() + ", " + c.get_num_executors() + " executors, " + c.get_num_tasks() + " tasks";
        });
        call("getTopologyConf", () -> {
            Map c = (Map) JSONValue.parse(nimbus.getTopologyConf(id));
            check(c != null && name.equals(c.get(Config.TOPOLOGY_NAME)) && id.equals(c.get(Config.STORM_ID)),
                "topology.name/storm.id " + (c == null ? null : c.get(Config.TOPOLOGY_NAME) + "/" + c.get(Config.STORM_ID)));
            return c.size() + " keys";
        });
        call("getTopology", () -> {
            StormTopology t = nimbus.getTopology(id);
            check(t.get_spouts().containsKey("word") && t.get_bolts().containsKey("count")
                && t.get_bolts().containsKey("__acker"), "components " + t.get_spouts().keySet() + " " + t.get_bolts().keySet());
            return "spouts " + new java.util.TreeSet<>(t.get_spouts().keySet()) + ", bolts " + new java.util.TreeSet<>(t.get_bolts().keySet());
        });
        call("getUserTopology", () -> {
            StormTopology t = nimbus.getUserTopology(id);
            check(t.get_spouts().keySet().equals(Collections.singleton("word"))
                && t.get_bolts().keySet().equals(Collections.singleton("count")), "components " + t.get_spouts().keySet() + " " + t.get_bolts().keySet());
            return "spouts [word], bolts [count]";
        });

        call("deactivate", () -> {
            nimbus.deactivate(name);
            return waitStatus(name, "INACTIVE", 10000);
        });
        call("activate", () -> {
            nimbus.activate(name);
            return waitStatus(name, "ACTIVE", 10000);
        });
        call("rebalance", () -> {
            RebalanceOptions o = new RebalanceOptions();
            o.set_wait_secs(0);
            o.set_num_workers(1);
            nimbus.rebalance(name, o);
            waitStatus(name, "ACTIVE", 20000);
            return "rebalanced and ACTIVE again";
        });
        call("setLogConfig", () -> {
            LogLevel l = new LogLevel(LogLevelAction.UPDATE);
            l.set_target_log_level("DEBUG");
            l.set_reset_log_level_timeout_secs(60);
            LogConfig lc = new LogConfig();
            lc.put_to_named_logger_level("org.galeproject", l);
            nimbus.setLogConfig(id, lc);
            return "org.galeproject=DEBUG:60";
        });
        call("getLogConfig", () -> {
            LogConfig lc = nimbus.getLogConfig(id);
            LogLevel l = lc.get_named_logger_level() == null ? null : lc.get_named_logger_level().get("org.galeproject");
            check(l != null && "DEBUG".equals(l.get_target_log_level()), "logger org.galeproject: " + l);
            return "org.galeproject " + l.get_target_log_level() + " reset at " + l.get_reset_log_level_timeout_epoch();
        });
        call("debug", () -> {
            nimbus.debug(name, "word", true, 25.0);
            DebugOptions d = nimbus.getTopologyInfo(id).get_component_debug().get("word");
            check(d != null && d.is_enable() && d.get_samplingpct() == 25.0, "component_debug[word] " + d);
            return "word: enable, 25%";
        });
        call("setWorkerProfiler", () -> {
            Long port = 6700L;
            ProfileRequest r = new ProfileRequest(new NodeInfo("gale-conformance-host", new HashSet<>(Collections.singleton(port))),
                ProfileAction.JSTACK_DUMP);
            r.set_time_stamp(System.currentTimeMillis() + 60000);
            nimbus.setWorkerProfiler(id, r);
            return "JSTACK_DUMP for gale-conformance-host:6700";
        });
        call("getComponentPendingProfileActions", () -> {
            List<ProfileRequest> rs = nimbus.getComponentPendingProfileActions(id, "word", ProfileAction.JPROFILE_STOP);
            check(rs != null, "null list");
            return rs.size() + " pending (no worker runs the component)";
        });
        call("uploadNewCredentials", () -> {
            Map<String, String> creds = new HashMap<>();
            creds.put("gale.conformance", "secret");
            nimbus.uploadNewCredentials(name, new Credentials(creds));
            return "1 credential";
        });

        final List<org.apache.storm.generated.AccessControl> acl = BlobStoreAclHandler.WORLD_EVERYTHING;
        final String[] session = new String[1];
        call("beginCreateBlob", () -> {
            SettableBlobMeta meta = new SettableBlobMeta(acl);
            meta.set_replication_factor(1);
            session[0] = nimbus.beginCreateBlob(key, meta);
            check(session[0] != null && !session[0].isEmpty(), "empty session");
            return "session " + session[0];
        });
        call("uploadBlobChunk", () -> {
            nimbus.uploadBlobChunk(session[0], bytes("hello"));
            return "5 bytes";
        });
        call("finishBlobUpload", () -> {
            nimbus.finishBlobUpload(session[0]);
            return "created " + key;
        });
        call("createStateInZookeeper", () -> {
            nimbus.createStateInZookeeper(key);
            return "registered " + key + " (as NimbusBlobStore does after finishBlobUpload)";
        });
        call("beginUpdateBlob", () -> {
            String s = nimbus.beginUpdateBlob(key);
            nimbus.uploadBlobChunk(s, bytes("hello world"));
            nimbus.finishBlobUpload(s);
            return "updated to 11 bytes";
        });
        call("cancelBlobUpload", () -> {
            String s = nimbus.beginUpdateBlob(key);
            nimbus.uploadBlobChunk(s, bytes("discarded"));
            nimbus.cancelBlobUpload(s);
            return "cancelled an update";
        });
        call("getBlobMeta", () -> {
            ReadableBlobMeta meta = nimbus.getBlobMeta(key);
            check(meta.get_settable() != null && meta.get_settable().get_acl_size() > 0, "meta " + meta);
            return "version " + meta.get_version() + ", acl " + meta.get_settable().get_acl();
        });
        call("setBlobMeta", () -> {
            SettableBlobMeta meta = new SettableBlobMeta(new ArrayList<>(acl));
            meta.set_replication_factor(1);
            nimbus.setBlobMeta(key, meta);
            return "set";
        });
        call("beginBlobDownload", () -> {
            BeginDownloadResult r = nimbus.beginBlobDownload(key);
            check(r.get_data_size() == 11, "data_size " + r.get_data_size());
            session[0] = r.get_session();
            return "data_size 11, version " + r.get_version();
        });
        call("downloadBlobChunk", () -> {
            String got = download(session[0], true);
            check(got.equals("hello world"), "content '" + got + "' (the cancelled update must not show)");
            return "'hello world'";
        });
        call("listBlobs", () -> {
            ListBlobsResult r = nimbus.listBlobs("");
            List<String> keys = new ArrayList<>(r.get_keys());
            for (int i = 0; i < 100 && r.get_keys_size() > 0 && r.get_session() != null && !r.get_session().isEmpty(); i++) {
                r = nimbus.listBlobs(r.get_session());
                keys.addAll(r.get_keys());
            }
            check(keys.contains(key), "keys " + keys);
            return keys.size() + " keys, including " + key;
        });
        call("getBlobReplication", () -> {
            int n = nimbus.getBlobReplication(key);
            check(n >= 1, "replication " + n);
            return "replication " + n;
        });
        call("updateBlobReplication", () -> {
            int n = nimbus.updateBlobReplication(key, 1);
            check(n >= 1, "replication " + n);
            return "replication " + n;
        });
        call("beginFileDownload", () -> {
            session[0] = nimbus.beginFileDownload(key);
            check(session[0] != null && !session[0].isEmpty(), "empty id");
            return "id " + session[0];
        });
        call("downloadChunk", () -> {
            String got = download(session[0], false);
            check(got.equals("hello world"), "content '" + got + "'");
            return "'hello world'";
        });
        call("deleteBlob", () -> {
            nimbus.deleteBlob(key);
            try {
                nimbus.getBlobMeta(key);
            } catch (KeyNotFoundException e) {
                return "deleted; getBlobMeta now throws KeyNotFoundException";
            }
            throw new AssertionError("blob still there");
        });

        call("killTopology", () -> {
            nimbus.killTopology(name2);
            return waitStatus(name2, "KILLED", 10000);
        });
        call("killTopologyWithOpts", () -> {
            KillOptions o = new KillOptions();
            o.set_wait_secs(0);
            nimbus.killTopologyWithOpts(name, o);
            waitStatus(name, null, 30000);
            return "killed with wait 0; gone from getClusterInfo";
        });
        call("getTopologyHistory", () -> {
            TopologyHistoryInfo h = nimbus.getTopologyHistory(user);
            check(h.get_topo_ids() != null && h.get_topo_ids().contains(id), "topo_ids " + h.get_topo_ids() + " lack " + id);
            return h.get_topo_ids_size() + " ids for " + user + ", including " + id;
        });
    }
}
