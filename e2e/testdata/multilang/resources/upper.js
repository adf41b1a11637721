// Upper-cases each word, on Storm 1.0.0's storm.js (copied next to this
// file from org.apache.storm:multilang-javascript:1.0.0).
var storm = require('./storm');

function UpperBolt() {
    storm.BasicBolt.call(this);
}
UpperBolt.prototype = Object.create(storm.BasicBolt.prototype);
UpperBolt.prototype.constructor = UpperBolt;

UpperBolt.prototype.process = function(tup, done) {
    this.emit({tuple: [tup.values[0].toUpperCase()], anchorTupleId: tup.id}, function(taskIds) {
        done();
    });
};

new UpperBolt().run();
