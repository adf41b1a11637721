// Prints the bytes Storm 1.0.0's Kryo serializers produce for a set of tuples and value lists, one
// "name<TAB>hex" line each. worker/tuple's tests compare KryoCodec against them (golden file
// kryo_golden.txt, regenerated with `go test ./worker/tuple -run MatchStorm -update`).
import java.util.*;

import org.apache.storm.generated.*;
import org.apache.storm.serialization.KryoTupleSerializer;
import org.apache.storm.serialization.KryoValuesSerializer;
import org.apache.storm.task.GeneralTopologyContext;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.MessageId;
import org.apache.storm.tuple.TupleImpl;
import org.apache.storm.tuple.Values;
import org.apache.storm.utils.Utils;

public class KryoGolden {
    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.toString();
    }

    static String repeat(String s, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(s);
        return sb.toString();
    }

    static ComponentCommon common(String... streams) {
        Map<String, StreamInfo> m = new HashMap<>();
        for (String s : streams) m.put(s, new StreamInfo(Arrays.asList("a", "b"), false));
        return new ComponentCommon(new HashMap<GlobalStreamId, Grouping>(), m);
    }

    public static void main(String[] args) throws Exception {
        Map conf = Utils.readDefaultConfig();
        KryoValuesSerializer vs = new KryoValuesSerializer(conf);
        LinkedHashMap<String, List<Object>> cases = new LinkedHashMap<>();
        cases.put("ints", Arrays.<Object>asList(0, 1, -1, 63, 64, -65, 300, Integer.MAX_VALUE, Integer.MIN_VALUE));
        cases.put("longs", Arrays.<Object>asList(0L, 1L, -1L, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE,
                -(1L << 62), 1L << 56, (1L << 62) + 12345L));
        cases.put("strings", Arrays.<Object>asList("", "a", "ab", "hello world", repeat("x", 63), repeat("y", 64),
                "h\u00e9llo", "\u65e5\u672c\u8a9e", "\ud83d\ude00", "\u0000x", repeat("\u00e9", 100),
                repeat("\u00e9", 9000), null));
        cases.put("floats", Arrays.<Object>asList(1.5f, -0.0f, Float.NaN, 1.5, -2.75e100, Double.NaN,
                Double.POSITIVE_INFINITY));
        cases.put("misc", Arrays.<Object>asList(true, false, (byte) -3, (short) -5, (short) 200, 'x', '\u00e9',
                new byte[] {1, 2, -1}, new byte[0], null));
        Map<String, Object> one = new HashMap<>();
        one.put("k", 1L);
        Map<Object, Object> intKey = new HashMap<>();
        intKey.put(7, "seven");
        cases.put("collections", Arrays.<Object>asList(new ArrayList<Object>(Arrays.<Object>asList(1L, "a", null)),
                one, intKey, new HashMap<String, Object>(), new ArrayList<Object>(),
                new ArrayList<Object>(Arrays.<Object>asList(new ArrayList<Object>(Arrays.<Object>asList(one))))));
        cases.put("storm-values", Arrays.<Object>asList(new Values("v", 2)));
        cases.put("hashset", Arrays.<Object>asList(new HashSet<Object>(Arrays.<Object>asList(7))));
        cases.put("empty", new ArrayList<Object>());
        for (Map.Entry<String, List<Object>> e : cases.entrySet()) {
            System.out.println("values/" + e.getKey() + "\t" + hex(vs.serialize(e.getValue())));
        }

        // Full tuples through KryoTupleSerializer, with Storm's stream numbering.
        Map<String, SpoutSpec> spouts = new HashMap<>();
        spouts.put("spout", new SpoutSpec(ComponentObject.shell(new ShellComponent()),
                common("default", "__ack_init", "__eventlog", "__metrics", "__system")));
        Map<String, Bolt> bolts = new HashMap<>();
        bolts.put("count", new Bolt(ComponentObject.shell(new ShellComponent()),
                common("default", "__ack_ack", "__ack_fail", "__ack_reset_timeout", "__eventlog", "__metrics",
                        "__system")));
        bolts.put("__system", new Bolt(ComponentObject.shell(new ShellComponent()),
                common("__tick", "__metrics_tick", "__credentials", "__metrics", "__system")));
        StormTopology topo = new StormTopology(spouts, bolts, new HashMap<String, StateSpoutSpec>());
        Map<Integer, String> taskToComponent = new HashMap<>();
        taskToComponent.put(-1, "__system");
        taskToComponent.put(1, "count");
        taskToComponent.put(2, "count");
        taskToComponent.put(3, "spout");
        Map<String, List<Integer>> componentTasks = new HashMap<>();
        componentTasks.put("__system", Arrays.asList(-1));
        componentTasks.put("count", Arrays.asList(1, 2));
        componentTasks.put("spout", Arrays.asList(3));
        Map<String, Map<String, Fields>> fields = new HashMap<>();
        for (String c : Arrays.asList("spout", "count", "__system")) {
            Map<String, Fields> m = new HashMap<>();
            ComponentCommon cc = c.equals("spout") ? spouts.get(c).get_common() : bolts.get(c).get_common();
            for (String s : cc.get_streams().keySet()) m.put(s, new Fields("a", "b"));
            fields.put(c, m);
        }
        GeneralTopologyContext ctx = new GeneralTopologyContext(topo, conf, taskToComponent, componentTasks, fields,
                "topo-1-1");
        KryoTupleSerializer ts = new KryoTupleSerializer(conf, ctx);
        System.out.println("tuple/spout-default\t" + hex(ts.serialize(new TupleImpl(ctx, new Values("apple", 3L), 3,
                "default", MessageId.makeRootId(0x1234567890L, -99L)))));
        System.out.println("tuple/spout-ack-init\t" + hex(ts.serialize(new TupleImpl(ctx,
                new Values(-5L, 77L), 3, "__ack_init"))));
        System.out.println("tuple/bolt-ack-ack\t" + hex(ts.serialize(new TupleImpl(ctx, new Values(42L, 7L), 2,
                "__ack_ack"))));
        System.out.println("tuple/system-tick\t" + hex(ts.serialize(new TupleImpl(ctx, new Values(30, null), -1,
                "__tick"))));
    }
}
