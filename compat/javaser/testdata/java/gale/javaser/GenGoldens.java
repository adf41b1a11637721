package gale.javaser;

import java.io.ByteArrayOutputStream;
import java.io.Externalizable;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.storm.clojure.RichShellBolt;
import org.apache.storm.clojure.RichShellSpout;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.generated.StreamInfo;
import org.apache.storm.shade.org.json.simple.JSONValue;
import org.apache.storm.spout.ShellSpout;
import org.apache.storm.task.ShellBolt;
import org.apache.storm.testing.IdentityBolt;
import org.apache.storm.testing.TestAggregatesCounter;
import org.apache.storm.testing.TestGlobalCount;
import org.apache.storm.testing.TestWordCounter;
import org.apache.storm.testing.TestWordSpout;
import org.apache.storm.topology.IRichBolt;
import org.apache.storm.topology.IRichSpout;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.IBasicBolt;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;
import org.apache.storm.utils.Utils;

/**
 * Writes Java serialization goldens for package javaser: components as
 * Storm 1.0.0's TopologyBuilder puts them into ComponentObject.serialized_java,
 * each with a JSON file of what the JVM itself sees in the object (read by
 * reflection), plus streams exercising the rest of the grammar.
 *
 * Usage: GenGoldens OUTDIR
 */
public class GenGoldens {

    /** A ShellBolt subclass in the style of storm-starter's SplitSentence. */
    public static class SplitSentence extends ShellBolt implements IRichBolt {
        public SplitSentence() {
            super("python", "splitsentence.py");
        }

        public void declareOutputFields(OutputFieldsDeclarer declarer) {
            declarer.declare(new Fields("word"));
        }

        public Map<String, Object> getComponentConfiguration() {
            return null;
        }
    }

    /** A ShellSpout subclass with a field of its own. */
    public static class WordsSpout extends ShellSpout implements IRichSpout {
        private final String label;

        public WordsSpout(String label, String... command) {
            super(command);
            this.label = label;
        }

        public void declareOutputFields(OutputFieldsDeclarer declarer) {
            declarer.declare(new Fields("word"));
        }

        public Map<String, Object> getComponentConfiguration() {
            return null;
        }
    }

    /** Externalizable, written in block-data mode. */
    public static class Ext implements Externalizable {
        public int n;
        public String s;

        public Ext() {
        }

        Ext(int n, String s) {
            this.n = n;
            this.s = s;
        }

        public void writeExternal(ObjectOutput out) throws IOException {
            out.writeInt(n);
            out.writeObject(s);
            out.writeUTF("tail");
        }

        public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
            n = in.readInt();
            s = (String) in.readObject();
            in.readUTF();
        }
    }

    /** A serializable handler for a dynamic proxy. */
    public static class Handler implements InvocationHandler, Serializable {
        final String name = "handler";

        public Object invoke(Object proxy, Method m, Object[] args) {
            return null;
        }
    }

    /** Every primitive field type, and a custom writeObject section. */
    public static class Prims implements Serializable {
        byte b = -2;
        char c = '\u00e9';
        double d = 2.5;
        float f = -1.25f;
        int i = 123456789;
        long j = -9876543210L;
        short s = -300;
        boolean z = true;
        Object self = this;

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            out.writeInt(7);
            out.writeObject("after");
            out.writeLong(8);
        }
    }

    public static class NotSerializable {
    }

    static void write(File dir, String name, byte[] data) throws IOException {
        try (FileOutputStream f = new FileOutputStream(new File(dir, name))) {
            f.write(data);
        }
    }

    static Object jsonable(Object v) {
        if (v instanceof String[]) {
            return Arrays.asList((String[]) v);
        }
        if (v instanceof Fields) {
            return ((Fields) v).toList();
        }
        if (v instanceof Map) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                out.put(String.valueOf(e.getKey()), jsonable(e.getValue()));
            }
            return out;
        }
        if (v instanceof StreamInfo) {
            StreamInfo si = (StreamInfo) v;
            Map<String, Object> out = new TreeMap<>();
            out.put("output_fields", si.get_output_fields());
            out.put("direct", si.is_direct());
            return out;
        }
        return v;
    }

    /** Reads fields by reflection, as the JVM sees them. */
    static Map<String, Object> facts(Object o, String[][] fields) throws Exception {
        Map<String, Object> out = new TreeMap<>();
        out.put("class", o.getClass().getName());
        Map<String, Object> fs = new TreeMap<>();
        for (String[] cf : fields) {
            Field f = Class.forName(cf[0]).getDeclaredField(cf[1]);
            f.setAccessible(true);
            fs.put(cf[0] + "." + cf[1], jsonable(f.get(o)));
        }
        out.put("fields", fs);
        return out;
    }

    static final String SB = "org.apache.storm.task.ShellBolt";
    static final String SS = "org.apache.storm.spout.ShellSpout";

    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]);
        dir.mkdirs();

        Map<String, String> env = new HashMap<>();
        env.put("PYTHONPATH", "/opt/lib");
        env.put("PATH", "/opt/bin");
        env.put("EMPTY", "");
        Map<String, String> env2 = new LinkedHashMap<>();
        env2.put("NODE_PATH", "/usr/lib/node");
        env2.put("LANG", "C.UTF-8");

        Map<String, StreamInfo> outputs = new HashMap<>();
        outputs.put("default", new StreamInfo(Arrays.asList("word", "count"), false));
        outputs.put("direct", new StreamInfo(Arrays.asList("x"), true));

        Map<String, Object> components = new LinkedHashMap<>();
        Map<String, String[][]> fieldsOf = new HashMap<>();
        String[][] shellBoltFields = {{SB, "_command"}, {SB, "env"}};
        String[][] shellSpoutFields = {{SS, "_command"}, {SS, "env"}};

        components.put("shellbolt_split", new SplitSentence());
        fieldsOf.put("shellbolt_split", shellBoltFields);
        components.put("shellbolt_env", new SplitSentence().setEnv(env));
        fieldsOf.put("shellbolt_env", shellBoltFields);
        components.put("shellbolt_unicode", new ShellBolt("sh", "-c", "echo 'h\u00e9llo \u65e5\u672c \ud83d\ude00' \u0000x"));
        fieldsOf.put("shellbolt_unicode", shellBoltFields);
        components.put("shellspout_words", new WordsSpout("w", "node", "words.js"));
        fieldsOf.put("shellspout_words", new String[][]{{SS, "_command"}, {SS, "env"}, {WordsSpout.class.getName(), "label"}});
        components.put("shellspout_env", new WordsSpout("e", "ruby", "words.rb", "--fast").setEnv(env2));
        fieldsOf.put("shellspout_env", shellSpoutFields);
        components.put("richshellbolt", new RichShellBolt(new String[]{"ruby", "count.rb"}, outputs));
        fieldsOf.put("richshellbolt", new String[][]{{SB, "_command"}, {SB, "env"}, {RichShellBolt.class.getName(), "_outputs"}});
        components.put("richshellspout", new RichShellSpout(new String[]{"python", "spout.py"}, outputs));
        fieldsOf.put("richshellspout", new String[][]{{SS, "_command"}, {SS, "env"}, {RichShellSpout.class.getName(), "_outputs"}});
        try {
            Class<?> fb = Class.forName("org.apache.storm.flux.wrappers.bolts.FluxShellBolt");
            Constructor<?> c = fb.getConstructor(String[].class, String[].class);
            components.put("fluxshellbolt", c.newInstance(new String[]{"python", "flux_bolt.py"}, new String[]{"a", "b"}));
            fieldsOf.put("fluxshellbolt", new String[][]{{SB, "_command"}, {SB, "env"}, {fb.getName(), "outputFields"}});
            Class<?> fs = Class.forName("org.apache.storm.flux.wrappers.spouts.FluxShellSpout");
            c = fs.getConstructor(String[].class, String[].class);
            components.put("fluxshellspout", c.newInstance(new String[]{"node", "flux_spout.js"}, new String[]{"sentence"}));
            fieldsOf.put("fluxshellspout", new String[][]{{SS, "_command"}, {SS, "env"}, {fs.getName(), "outputFields"}});
        } catch (ClassNotFoundException e) {
            System.err.println("flux wrappers not on the classpath; skipping them");
        }
        String tws = TestWordSpout.class.getName();
        components.put("testwordspout", new TestWordSpout());
        fieldsOf.put("testwordspout", new String[][]{{tws, "_isDistributed"}});
        components.put("testwordspout_false", new TestWordSpout(false));
        fieldsOf.put("testwordspout_false", new String[][]{{tws, "_isDistributed"}});
        components.put("testwordcounter", new TestWordCounter());
        fieldsOf.put("testwordcounter", new String[0][]);
        components.put("testglobalcount", new TestGlobalCount());
        fieldsOf.put("testglobalcount", new String[0][]);
        components.put("testaggregatescounter", new TestAggregatesCounter());
        fieldsOf.put("testaggregatescounter", new String[0][]);
        components.put("identitybolt", new IdentityBolt(new Fields("a", "b", "c")));
        fieldsOf.put("identitybolt", new String[][]{{IdentityBolt.class.getName(), "_fields"}});

        // Serialize them as TopologyBuilder does for a submitted topology.
        TopologyBuilder tb = new TopologyBuilder();
        for (Map.Entry<String, Object> e : components.entrySet()) {
            if (e.getValue() instanceof IRichSpout) {
                tb.setSpout(e.getKey(), (IRichSpout) e.getValue());
            } else if (e.getValue() instanceof IRichBolt) {
                tb.setBolt(e.getKey(), (IRichBolt) e.getValue());
            } else if (e.getValue() instanceof IBasicBolt) {
                // TopologyBuilder wraps it in a BasicBoltExecutor.
                tb.setBolt(e.getKey(), (IBasicBolt) e.getValue());
            }
        }
        StormTopology topo = tb.createTopology();
        for (Map.Entry<String, Object> e : components.entrySet()) {
            String id = e.getKey();
            byte[] ser;
            if (topo.get_spouts().containsKey(id)) {
                ser = topo.get_spouts().get(id).get_spout_object().get_serialized_java();
            } else if (topo.get_bolts().containsKey(id)) {
                ser = topo.get_bolts().get(id).get_bolt_object().get_serialized_java();
            } else {
                // Not an IRich* component (a bare ShellBolt): serialized the
                // same way, without the builder.
                ser = Utils.javaSerialize(e.getValue());
            }
            write(dir, id + ".ser", ser);
            Map<String, Object> f = facts(e.getValue(), fieldsOf.get(id));
            f.put("spout", topo.get_spouts().containsKey(id));
            write(dir, id + ".json", (JSONValue.toJSONString(f) + "\n").getBytes(StandardCharsets.UTF_8));
        }

        writeGrammar(dir);
    }

    /** Streams exercising the grammar beyond what components use. */
    static void writeGrammar(File dir) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", 42);
        m.put("long", 1L << 40);
        m.put("double", 0.5);
        m.put("float", 1.5f);
        m.put("short", (short) -7);
        m.put("byte", (byte) 9);
        m.put("char", 'x');
        m.put("bool", Boolean.TRUE);
        m.put("null", null);
        m.put("string", "plain");
        m.put("unicode", "\u0000\u00e9\u65e5\ud83d\ude00");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 70000; i++) {
            sb.append((char) ('a' + i % 26));
        }
        m.put("longstring", sb.toString());
        m.put("enum", TimeUnit.SECONDS);
        m.put("class", String.class);
        m.put("ints", new int[]{1, -2, 3});
        m.put("bytes", new byte[]{0, 1, (byte) 0xff});
        m.put("longs", new long[]{Long.MIN_VALUE, Long.MAX_VALUE});
        m.put("doubles", new double[]{-0.0, 1e300});
        m.put("floats", new float[]{0.25f});
        m.put("shorts", new short[]{-1});
        m.put("chars", new char[]{'a', '\u00e9'});
        m.put("bools", new boolean[]{true, false});
        m.put("strings", new String[]{"a", null, "c"});
        m.put("matrix", new int[][]{{1}, {2, 3}});
        m.put("arraylist", new ArrayList<>(Arrays.asList("x", "y")));
        m.put("linkedlist", new LinkedList<>(Arrays.asList(1, 2, 3)));
        m.put("aslist", Arrays.asList("p", "q"));
        m.put("hashset", new HashSet<>(Collections.singletonList("only")));
        m.put("treemap", new TreeMap<>(Collections.singletonMap("k", "v")));
        Map<String, Integer> chm = new ConcurrentHashMap<>();
        chm.put("c", 3);
        m.put("concurrent", chm);
        m.put("unmodifiable", Collections.unmodifiableMap(new HashMap<>(Collections.singletonMap("u", 1))));
        m.put("emptylist", Collections.emptyList());
        m.put("ext", new Ext(5, "five"));
        m.put("prims", new Prims());
        m.put("proxy", Proxy.newProxyInstance(GenGoldens.class.getClassLoader(),
            new Class<?>[]{Runnable.class, Serializable.class}, new Handler()));
        String shared = "shared";
        m.put("shared1", Arrays.asList(shared, shared));
        m.put("streaminfo", new StreamInfo(Arrays.asList("f1"), true));
        write(dir, "grammar.ser", Utils.javaSerialize(m));

        // Several top-level contents with a reset and primitive data between.
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ObjectOutputStream oos = new ObjectOutputStream(bos);
        oos.writeObject("first");
        oos.writeInt(77);
        oos.reset();
        oos.writeObject("first");
        oos.writeObject(TimeUnit.MINUTES);
        oos.writeObject(TimeUnit.MINUTES);
        oos.close();
        write(dir, "multi.ser", bos.toByteArray());

        // A failed write: the stream ends in TC_EXCEPTION.
        bos = new ByteArrayOutputStream();
        oos = new ObjectOutputStream(bos);
        try {
            oos.writeObject(new ArrayList<>(Arrays.asList("ok", new NotSerializable())));
        } catch (IOException expected) {
        }
        oos.close();
        write(dir, "exception.ser", bos.toByteArray());
    }
}
