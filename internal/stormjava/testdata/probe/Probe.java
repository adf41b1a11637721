import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.storm.generated.Assignment;
import org.apache.storm.shade.org.json.simple.JSONValue;
import org.apache.storm.utils.Utils;

/** Probe checks that storm-core runs: it reads the client configuration
 * (defaults.yaml + -Dstorm.options) and round-trips a struct through
 * Utils.serialize, printing one JSON object. */
public class Probe {
    public static void main(String[] args) throws Exception {
        Map conf = Utils.readStormConfig();
        Assignment a = Utils.deserialize(Utils.serialize(new Assignment("/probe")), Assignment.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("java", System.getProperty("java.specification.version"));
        out.put("seeds", conf.get("nimbus.seeds"));
        out.put("port", conf.get("nimbus.thrift.port"));
        out.put("dir", a.get_master_code_dir());
        out.put("args", java.util.Arrays.asList(args));
        System.out.println(JSONValue.toJSONString(out));
    }
}
