# Appends each (word, count) as a line "word count" to
# <gale.test.out>/sink-<task>.txt, on Storm 1.0.0's storm.rb (copied next
# to this file from org.apache.storm:multilang-ruby:1.0.0).
require "./storm"

class SinkBolt < Storm::Bolt
  def prepare(conf, context)
    @path = File.join(conf["gale.test.out"], "sink-#{context["taskid"]}.txt")
  end

  def process(tup)
    word, count = tup.values
    File.open(@path, "a") { |f| f.write("#{word} #{count}\n") }
    ack(tup)
  end
end

SinkBolt.new.run
