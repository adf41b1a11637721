// Gale perf: a multilang relay bolt on Storm's own storm.js (multilang-javascript 1.0.0).
// Emits each input's values, anchored on it, and acks it (BasicBolt acks when done is called).
var storm = require('./storm');
var BasicBolt = storm.BasicBolt;

function RelayBolt() {
    BasicBolt.call(this);
}
RelayBolt.prototype = Object.create(BasicBolt.prototype);
RelayBolt.prototype.constructor = RelayBolt;

RelayBolt.prototype.process = function (tup, done) {
    this.emit({tuple: tup.values, anchorTupleId: tup.id}, function () {});
    done();
};

new RelayBolt().run();
