;; Regenerates system_golden.json from system_cases.json with the real Storm
;; 1.0.0 code (normalize-topology, system-topology!, storm-task-info,
;; partition-fixed). Run from this directory:
;;
;;   java -cp "$(cat ~/.cache/gale/stormjava/deps-*/classpath.txt):." \
;;     clojure.main gen_system_golden.clj > system_golden.json
;;
;; (the classpath is the storm-core 1.0.0 one internal/stormjava builds).
(ns gen-system-golden
  (:require [org.apache.storm.daemon.common :as common]
            [org.apache.storm.daemon.nimbus :as nimbus]
            [org.apache.storm.thrift :as thrift]
            [org.apache.storm.util :as util])
  (:import [org.apache.storm.generated StormTopology SpoutSpec Bolt StateSpoutSpec ComponentObject
            ComponentCommon ShellComponent StreamInfo GlobalStreamId Grouping NullStruct
            InvalidTopologyException]
           [org.apache.storm.utils Utils]
           [org.apache.storm.shade.org.json.simple JSONValue]
           [java.util HashMap ArrayList]))

(defn grouping [in]
  (case (get in "grouping")
    "shuffle" (Grouping/shuffle (NullStruct.))
    "fields" (Grouping/fields (ArrayList. (get in "fields")))
    "direct" (Grouping/direct (NullStruct.))
    "all" (Grouping/all (NullStruct.))
    "none" (Grouping/none (NullStruct.))
    "local_or_shuffle" (Grouping/local_or_shuffle (NullStruct.))))

(defn mk-common [spec]
  (let [inputs (HashMap.)
        streams (HashMap.)]
    (doseq [in (get spec "inputs")]
      (.put inputs (GlobalStreamId. (get in "component") (get in "stream")) (grouping in)))
    (doseq [[id s] (get spec "streams")]
      (.put streams id (StreamInfo. (ArrayList. (get s "fields")) (boolean (get s "direct")))))
    (let [c (ComponentCommon. inputs streams)]
      (when-let [p (get spec "p")] (.set_parallelism_hint c (int p)))
      (when-let [js (get spec "conf")] (.set_json_conf c js))
      c)))

(defn shell [] (ComponentObject/shell (ShellComponent. "python" "x.py")))

(defn mk-topology [case]
  (let [spouts (HashMap.) bolts (HashMap.) state (HashMap.)]
    (doseq [[id s] (get case "spouts")] (.put spouts id (SpoutSpec. (shell) (mk-common s))))
    (doseq [[id s] (get case "bolts")] (.put bolts id (Bolt. (shell) (mk-common s))))
    (doseq [[id s] (get case "state_spouts")] (.put state id (StateSpoutSpec. (shell) (mk-common s))))
    (StormTopology. spouts bolts state)))

(defn grouping-json [^Grouping g]
  (let [t (thrift/grouping-type g)]
    (if (= t :fields)
      {"grouping" "fields" "fields" (vec (.get_fields g))}
      {"grouping" (.replace (name t) "-" "_")})))

(defn object-json [^ComponentObject o]
  (if (.is_set_serialized_java o)
    (.getName (class (Utils/javaDeserialize (.get_serialized_java o) Object)))
    "shell"))

(defn component-json [kind comp]
  (let [^ComponentCommon c (.get_common comp)
        obj (case kind "spout" (.get_spout_object comp) "bolt" (.get_bolt_object comp) "state_spout" (.get_state_spout_object comp))]
    {"kind" kind
     "object" (object-json obj)
     "p" (when (.is_set_parallelism_hint c) (.get_parallelism_hint c))
     "conf" (util/from-json (.get_json_conf c))
     "streams" (into (sorted-map) (for [[id ^StreamInfo s] (.get_streams c)]
                                    [id {"fields" (vec (.get_output_fields s)) "direct" (.is_direct s)}]))
     "inputs" (vec (sort-by (juxt #(get % "component") #(get % "stream"))
                            (for [[^GlobalStreamId k g] (.get_inputs c)]
                              (merge {"component" (.get_componentId k) "stream" (.get_streamId k)} (grouping-json g)))))}))

(defn run-case [defaults case]
  (let [conf (merge defaults (get case "conf"))
        topo (mk-topology case)]
    (try
      (let [normalized (nimbus/normalize-topology conf topo)
            sys (common/system-topology! conf normalized)
            task->comp (common/storm-task-info normalized conf)
            comp->tasks (into (sorted-map) (util/map-val sort (util/reverse-map task->comp)))
            comp->execs (into {} (for [[id c] (common/all-components sys)] [id (thrift/parallelism-hint (.get_common c))]))
            executors (->> comp->tasks
                           (util/join-maps comp->execs)
                           (util/map-val (partial apply util/partition-fixed))
                           (mapcat second)
                           (map (fn [ts] [(first ts) (last ts)]))
                           sort vec)]
        {"name" (get case "name")
         "components" (into (sorted-map)
                            (concat (for [[id s] (.get_spouts sys)] [id (component-json "spout" s)])
                                    (for [[id b] (.get_bolts sys)] [id (component-json "bolt" b)])
                                    (for [[id s] (.get_state_spouts sys)] [id (component-json "state_spout" s)])))
         "tasks" (into (sorted-map) (for [[c ts] comp->tasks] [c (vec ts)]))
         "executors" executors})
      (catch InvalidTopologyException e
        {"name" (get case "name") "error" (.get_msg e)})
      (catch Throwable e
        {"name" (get case "name") "exception" (str (class e))}))))

(let [defaults (util/clojurify-structure (Utils/readDefaultConfig))
      cases (util/clojurify-structure (JSONValue/parse (slurp "system_cases.json")))]
  (println (JSONValue/toJSONString (vec (map #(run-case defaults %) cases)))))
