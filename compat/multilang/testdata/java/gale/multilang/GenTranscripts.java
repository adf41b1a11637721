package gale.multilang;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.storm.generated.StormTopology;
import org.apache.storm.metric.api.IMetric;
import org.apache.storm.multilang.BoltMsg;
import org.apache.storm.multilang.JsonSerializer;
import org.apache.storm.multilang.ShellMsg;
import org.apache.storm.multilang.SpoutMsg;
import org.apache.storm.shade.org.json.simple.JSONArray;
import org.apache.storm.shade.org.json.simple.JSONObject;
import org.apache.storm.shade.org.json.simple.JSONValue;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.testing.TestAggregatesCounter;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;
import org.apache.storm.utils.Utils;

/**
 * Writes multilang transcripts with Storm 1.0.0's own JsonSerializer:
 *
 *  parent.txt     the exact bytes of the parent messages Go must reproduce
 *  handshake.txt  the setup message connect() writes for a real TopologyContext
 *  topology.bin   that context's topology (TBinaryProtocol), context.json its inputs
 *  shellmsgs.json what readShellMsg makes of each text in child_messages.json
 *
 * Usage: GenTranscripts CHILD_MESSAGES_JSON OUTDIR
 */
public class GenTranscripts {

    static void write(File dir, String name, byte[] data) throws IOException {
        try (FileOutputStream f = new FileOutputStream(new File(dir, name))) {
            f.write(data);
        }
    }

    static JsonSerializer serializer(ByteArrayOutputStream out, String input) {
        JsonSerializer s = new JsonSerializer();
        s.initialize(out, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return s;
    }

    static BoltMsg bolt(String id, String comp, String stream, int task, List<Object> tuple) {
        BoltMsg m = new BoltMsg();
        m.setId(id);
        m.setComp(comp);
        m.setStream(stream);
        m.setTask(task);
        m.setTuple(tuple);
        return m;
    }

    static SpoutMsg spout(String command, Object id) {
        SpoutMsg m = new SpoutMsg();
        m.setCommand(command);
        m.setId(id);
        return m;
    }

    public static void main(String[] args) throws Exception {
        File dir = new File(args[1]);
        dir.mkdirs();
        writeParent(dir);
        writeHandshake(dir);
        writeShellMsgs(new File(args[0]), dir);
    }

    static void writeParent(File dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonSerializer s = serializer(out, "");
        Map<String, Object> inner = new HashMap<>();
        inner.put("k", "v");
        inner.put("n", 7L);
        List<Object> tuple = new ArrayList<>(Arrays.<Object>asList(
            "nathan", 1, 1L << 40, -3L, 2.5, 1.0, 1e10, 1e-5, 123456789.0, 0.001, 1e7, -0.0,
            Double.NaN, 3.25f, true, false, null,
            Arrays.asList("a", 2), inner,
            "sl/ash \"q\" back\\slash \t\n\r\b\f \u0001 \u007f \u0085 \u2028 \u20ac \u00e9 \ud83d\ude00 <>&'"));
        s.writeBoltMsg(bolt("-6955176146395207236", "words", "default", 3, tuple));
        s.writeBoltMsg(bolt("123", null, "__heartbeat", -1, new ArrayList<Object>()));
        s.writeSpoutMsg(spout("next", ""));
        s.writeSpoutMsg(spout("ack", "m1"));
        s.writeSpoutMsg(spout("fail", 42L));
        JSONObject id = new JSONObject();
        id.put("a", 1L);
        JSONArray list = new JSONArray();
        list.add("x");
        list.add(2.0);
        id.put("b", list);
        s.writeSpoutMsg(spout("ack", id));
        s.writeTaskIds(Arrays.asList(4, 5));
        s.writeTaskIds(new ArrayList<Integer>());
        write(dir, "parent.txt", out.toByteArray());
    }

    static void writeHandshake(File dir) throws Exception {
        TopologyBuilder b = new TopologyBuilder();
        b.setSpout("words", new TestWordSpout(), 2);
        b.setBolt("count", new TestWordCounter(), 3).fieldsGrouping("words", new Fields("word"));
        b.setBolt("agg", new TestAggregatesCounter(), 1)
            .globalGrouping("count")
            .shuffleGrouping("words")
            .allGrouping("count", "extra")
            .directGrouping("count", "direct")
            .localOrShuffleGrouping("words", "other")
            .noneGrouping("count", "none");
        StormTopology topo = b.createTopology();
        // Declare more streams on "count" and "words" than TestWordCounter does,
        // so that targets and input fields have several streams.
        topo.get_bolts().get("count").get_common().put_to_streams("extra",
            new org.apache.storm.generated.StreamInfo(Arrays.asList("e1", "e2"), false));
        topo.get_bolts().get("count").get_common().put_to_streams("direct",
            new org.apache.storm.generated.StreamInfo(Arrays.asList("d"), true));
        topo.get_bolts().get("count").get_common().put_to_streams("none",
            new org.apache.storm.generated.StreamInfo(new ArrayList<String>(), false));
        topo.get_spouts().get("words").get_common().put_to_streams("other",
            new org.apache.storm.generated.StreamInfo(Arrays.asList("o/1"), false));

        Map<Integer, String> taskToComponent = new HashMap<>();
        taskToComponent.put(1, "agg");
        taskToComponent.put(2, "count");
        taskToComponent.put(3, "count");
        taskToComponent.put(4, "count");
        taskToComponent.put(5, "words");
        taskToComponent.put(6, "words");
        Map<String, List<Integer>> componentToTasks = new HashMap<>();
        componentToTasks.put("agg", Arrays.asList(1));
        componentToTasks.put("count", Arrays.asList(2, 3, 4));
        componentToTasks.put("words", Arrays.asList(5, 6));
        Map<String, Map<String, Fields>> streamFields = new HashMap<>();
        for (String c : Arrays.asList("agg", "count", "words")) {
            Map<String, org.apache.storm.generated.StreamInfo> streams = topo.get_bolts().containsKey(c)
                ? topo.get_bolts().get(c).get_common().get_streams()
                : topo.get_spouts().get(c).get_common().get_streams();
            Map<String, Fields> m = new HashMap<>();
            for (Map.Entry<String, org.apache.storm.generated.StreamInfo> e : streams.entrySet()) {
                m.put(e.getKey(), new Fields(e.getValue().get_output_fields()));
            }
            streamFields.put(c, m);
        }

        Map<String, Object> contextInputs = new TreeMap<>();
        List<Object> contexts = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int task : new int[]{3, 1, 5}) {
            TopologyContext ctx = new TopologyContext(topo, new HashMap<>(), taskToComponent, componentToTasks,
                streamFields, "t-1-1", "/code/dir", "/pid/dir", task, 6700, Arrays.asList(1, 2, 3, 4, 5, 6),
                new HashMap<String, Object>(), new HashMap<String, Object>(), new HashMap<String, Object>(),
                new HashMap<Integer, Map<Integer, Map<String, IMetric>>>(), new clojure.lang.Atom(false));
            Map<String, Object> conf = new HashMap<>();
            conf.put("topology.name", "t");
            conf.put("topology.workers", 2L);
            conf.put("f", 0.5);
            conf.put("list", Arrays.asList(1L, "x"));
            Map<String, Object> nested = new HashMap<>();
            nested.put("b", null);
            conf.put("nested", nested);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonSerializer s = serializer(out, "{\"pid\": 4242}\nend\n");
            Number pid = s.connect(conf, ctx);
            if (pid.longValue() != 4242) {
                throw new IllegalStateException("pid " + pid);
            }
            all.write(out.toByteArray());
            contexts.add(task);
        }
        write(dir, "handshake.txt", all.toByteArray());
        write(dir, "topology.bin", Utils.thriftSerialize(topo));
        contextInputs.put("tasks", contexts);
        contextInputs.put("task->component", taskToComponent);
        write(dir, "context.json", (JSONValue.toJSONString(contextInputs) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static Object dump(ShellMsg m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", m.getCommand());
        out.put("id", m.getId());
        out.put("anchors", m.getAnchors());
        out.put("stream", m.getStream());
        out.put("task", m.getTask());
        out.put("msg", m.getMsg());
        out.put("tuple", m.getTuple());
        out.put("need_task_ids", m.areTaskIdsNeeded());
        out.put("metric_name", m.getMetricName());
        out.put("metric_params", m.getMetricParams());
        out.put("level", m.getLogLevel().toString());
        return out;
    }

    static void writeShellMsgs(File input, File dir) throws Exception {
        String text = new String(Files.readAllBytes(input.toPath()), StandardCharsets.UTF_8);
        JSONArray cases = (JSONArray) JSONValue.parse(text);
        List<Object> results = new ArrayList<>();
        for (Object c : cases) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonSerializer s = serializer(out, c + "\nend\n");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("input", c);
            try {
                r.put("msg", dump(s.readShellMsg()));
            } catch (Throwable t) {
                r.put("error", t.getClass().getName());
            }
            results.add(r);
        }
        write(dir, "shellmsgs.json", (JSONValue.toJSONString(results) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
