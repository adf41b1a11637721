// Package components decides how a worker runs each spout and bolt of a
// topology: it interprets a ComponentObject (storm.thrift) without a JVM.
//
//	serialized_java ──javaser──▶ ShellBolt/ShellSpout subclass ─▶ Shell (command, env)
//	                             TestWordSpout, TestWordCounter, ─▶ Builtin (class, fields)
//	                             TestGlobalCount, TestAggregatesCounter,
//	                             IdentityBolt (org.apache.storm.testing)
//	                             any other class ─────────────────▶ *NeedsJVMError
//	shell {execution_command, script} ───────────────────────────▶ Shell
//	java_object {full_class_name, args}
//	      built-in test class ─▶ Builtin; other Java (org.apache.storm.*, java.*,
//	      clojure.*, ...) ─▶ *NeedsJVMError; anything else ─▶ GoComponent (a
//	      component the Go SDK registered under that name)
//
// A ShellBolt subclass is recognised by its class hierarchy (storm-starter's
// SplitSentence, Flux's FluxShellBolt, the Clojure DSL's RichShellBolt, ...);
// its _command and env fields are all that running it takes, because its
// output fields were captured in ComponentCommon.streams at submission. A
// subclass that overrides ShellBolt's behaviour (rare) cannot be honoured
// without a JVM.
//
// The built-in test components' behaviour lives here as pure logic
// ([WordSpout], [BoltLogic]) for the worker to drive.
package components
