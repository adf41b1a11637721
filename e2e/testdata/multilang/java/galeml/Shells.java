package galeml;

import java.util.Map;

import org.apache.storm.spout.ShellSpout;
import org.apache.storm.task.ShellBolt;
import org.apache.storm.topology.IRichBolt;
import org.apache.storm.topology.IRichSpout;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.tuple.Fields;

/**
 * The multilang components of the e2e topologies: ShellBolt and ShellSpout
 * subclasses as a Storm 1.0.0 user writes them (storm-starter's
 * SplitSentence pattern). The scripts live in the jar's resources/.
 */
public class Shells {
    /** Node.js with Storm's storm.js: upper-cases each word. */
    public static class UpperJs extends ShellBolt implements IRichBolt {
        public UpperJs() {
            super("node", "upper.js");
        }

        public void declareOutputFields(OutputFieldsDeclarer declarer) {
            declarer.declare(new Fields("word"));
        }

        public Map<String, Object> getComponentConfiguration() {
            return null;
        }
    }

    /** Python with pystorm: appends "!" to each word. */
    public static class ShoutPy extends ShellBolt implements IRichBolt {
        public ShoutPy(String python) {
            super(python, "shout.py");
        }

        public void declareOutputFields(OutputFieldsDeclarer declarer) {
            declarer.declare(new Fields("word"));
        }

        public Map<String, Object> getComponentConfiguration() {
            return null;
        }
    }

    /** Ruby with Storm's storm.rb: appends each (word, count) to a file. */
    public static class SinkRb extends ShellBolt implements IRichBolt {
        public SinkRb() {
            super("ruby", "sink.rb");
        }

        public void declareOutputFields(OutputFieldsDeclarer declarer) {
        }

        public Map<String, Object> getComponentConfiguration() {
            return null;
        }
    }

    /** Python with pystorm: a reliable spout of ids with durable acks. */
    public static class SourcePy extends ShellSpout implements IRichSpout {
        public SourcePy(String python) {
            super(python, "source.py");
        }

        public void declareOutputFields(OutputFieldsDeclarer declarer) {
            declarer.declare(new Fields("id"));
        }

        public Map<String, Object> getComponentConfiguration() {
            return null;
        }
    }

    /** Python with pystorm: records ids, misbehaving once as configured. */
    public static class ChaosPy extends ShellBolt implements IRichBolt {
        public ChaosPy(String python) {
            super(python, "chaos.py");
        }

        public void declareOutputFields(OutputFieldsDeclarer declarer) {
            declarer.declare(new Fields("id"));
        }

        public Map<String, Object> getComponentConfiguration() {
            return null;
        }
    }
}
