# A spout on Storm 1.0.0's storm.rb exercising every command.
require "./storm"

class TestSpout < Storm::Spout
  def open(conf, context)
    @n = 0
  end

  def nextTuple
    @n += 1
    if @n <= 2
      ids = emit(["w#{@n}"], :id => "m#{@n}")
      emit(["ids", ids], :stream => "taskids")
    elsif @n == 3
      emit(["direct"], :stream => "direct", :direct_task => 5)
      log("third", 3)
      send_msg_to_parent(:command => :metrics, :name => "m2", :params => [1, 2])
    end
  end

  def ack(id)
    emit(["acked", id], :stream => "acks")
  end

  def fail(id)
    reportError("failed #{id}")
  end
end

TestSpout.new.run
