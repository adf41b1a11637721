# Counts words with Storm 1.0.0's storm.rb; run from a serialized
# RichShellBolt whose command is ["ruby", "count.rb"].
require "./storm"

class CountBolt < Storm::Bolt
  def prepare(conf, context)
    @counts = Hash.new(0)
  end

  def process(tup)
    tup.values[0].split(" ").each do |word|
      @counts[word] += 1
      emit([word, @counts[word]], :anchor => tup)
    end
    ack(tup)
  end
end

CountBolt.new.run
