// A spout on Storm 1.0.0's storm.js exercising every command.
var storm = require('./storm');

function TestSpout() {
    storm.Spout.call(this);
    this.n = 0;
}
TestSpout.prototype = Object.create(storm.Spout.prototype);
TestSpout.prototype.constructor = TestSpout;

TestSpout.prototype.nextTuple = function(done) {
    var self = this;
    self.n++;
    if (self.n <= 2) {
        self.emit({tuple: ["w" + self.n], id: "m" + self.n}, function(ids) {
            self.emit({tuple: ["ids", ids], stream: "taskids"}, function() { done(); });
        });
    } else if (self.n === 3) {
        self.emitDirect({tuple: ["direct"], stream: "direct", task: 5});
        self.log("third");
        self.sendMsgToParent({command: "metrics", name: "m2", params: [1, 2]});
        done();
    } else {
        done();
    }
};

TestSpout.prototype.ack = function(id, done) {
    this.emit({tuple: ["acked", id], stream: "acks"}, function() { done(); });
};

TestSpout.prototype.fail = function(id, done) {
    this.sendMsgToParent({command: "error", msg: "failed " + id});
    done();
};

new TestSpout().run();
