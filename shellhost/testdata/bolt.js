// A bolt on Storm 1.0.0's storm.js exercising every command.
var storm = require('./storm');

function TestBolt() {
    storm.BasicBolt.call(this);
}
TestBolt.prototype = Object.create(storm.BasicBolt.prototype);
TestBolt.prototype.constructor = TestBolt;

TestBolt.prototype.initialize = function(conf, context, done) {
    this.conf = conf;
    this.context = context;
    done();
};

TestBolt.prototype.process = function(tup, done) {
    var self = this;
    var cmd = tup.values[0], arg = tup.values[1];
    switch (cmd) {
    case "split":
        var words = arg.split(" "), pending = words.length;
        words.forEach(function(word) {
            self.emit({tuple: [word], anchorTupleId: tup.id}, function(ids) {
                self.emit({tuple: ["ids", ids], stream: "taskids", anchorTupleId: tup.id}, function() {
                    if (--pending === 0) {
                        done();
                    }
                });
            });
        });
        break;
    case "direct":
        self.emitDirect({tuple: ["d"], stream: "direct", task: arg, anchorTupleId: tup.id});
        done();
        break;
    case "fail":
        done(new Error("fail requested"));
        break;
    case "log":
        self.log("level 2");
        done();
        break;
    case "error":
        self.sendMsgToParent({command: "error", msg: "oops"});
        done();
        break;
    case "metric":
        self.sendMsgToParent({command: "metrics", name: "m1", params: {x: 1}});
        done();
        break;
    case "context":
        self.emit({tuple: [self.context.componentid, self.context.taskid, self.conf["topology.name"],
                           process.cwd(), process.env.GALE_TEST_ENV || null], anchorTupleId: tup.id},
                  function() { done(); });
        break;
    case "exit":
        process.exit(3);
        break;
    case "hang":
        for (;;) {}
    }
};

new TestBolt().run();
