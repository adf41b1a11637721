package gale.conformance;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Prints, as one JSON object, how this JVM was started: the JVM input
 * arguments (the -D and -X flags), java.class.path, the storm.* system
 * properties storm.py sets, and the program arguments. Run with
 * `storm jar` to compare a launcher's command line with storm.py's.
 */
public class CommandLineProbe {
    public static void main(String[] args) {
        StringBuilder b = new StringBuilder("{\"jvm_args\":");
        list(b, ManagementFactory.getRuntimeMXBean().getInputArguments());
        b.append(",\"class_path\":").append(Json.str(System.getProperty("java.class.path")));
        for (String p : new String[] {"daemon.name", "storm.options", "storm.home", "storm.log.dir",
                "java.library.path", "storm.conf.file", "storm.jar"}) {
            b.append(",").append(Json.str(p)).append(":").append(Json.str(System.getProperty(p)));
        }
        b.append(",\"args\":");
        list(b, java.util.Arrays.asList(args));
        System.out.println(b.append("}"));
    }

    private static void list(StringBuilder b, List<String> xs) {
        b.append("[");
        for (int i = 0; i < xs.size(); i++) {
            b.append(i == 0 ? "" : ",").append(Json.str(xs.get(i)));
        }
        b.append("]");
    }
}
