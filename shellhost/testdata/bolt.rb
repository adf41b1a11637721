# A bolt on Storm 1.0.0's storm.rb exercising every command.
require "./storm"

class TestBolt < Storm::Bolt
  def prepare(conf, context)
    @conf = conf
    @context = context
  end

  def process(tup)
    cmd, arg = tup.values
    case cmd
    when "split"
      arg.split(" ").each do |word|
        ids = emit([word], :anchor => tup)
        emit(["ids", ids], :stream => "taskids", :anchor => tup)
      end
      ack(tup)
    when "direct"
      emit(["d"], :stream => "direct", :anchor => tup, :direct_task => arg)
      ack(tup)
    when "fail"
      fail(tup)
    when "log"
      5.times { |level| log("level #{level}", level) }
      ack(tup)
    when "error"
      reportError("oops")
      ack(tup)
    when "metric"
      send_msg_to_parent(:command => :metrics, :name => "m1", :params => {"x" => 1})
      ack(tup)
    when "context"
      emit([@context["componentid"], @context["taskid"], @conf["topology.name"], Dir.pwd, ENV["GALE_TEST_ENV"]], :anchor => tup)
      ack(tup)
    when "exit"
      exit!(3)
    when "hang"
      sleep
    end
  end
end

TestBolt.new.run
