;; Regenerates schedule_golden.json from schedule_cases.json with the real
;; Storm 1.0.0 DefaultScheduler, after the same preparation nimbus's
;; compute-new-scheduler-assignments does (dead executors dropped, their
;; ports withheld). Run from this directory:
;;
;;   java -cp "$(cat ~/.cache/gale/stormjava/deps-*/classpath.txt):." \
;;     clojure.main gen_schedule_golden.clj > schedule_golden.json
;;
;; Ids are chosen so Java's hash-map iteration orders (supervisors "a".."e",
;; topologies "x".."z", ports 6700-6703) equal the sorted orders Gale uses.
(ns gen-schedule-golden
  (:require [org.apache.storm.daemon.nimbus :as nimbus]
            [org.apache.storm.scheduler.DefaultScheduler :as default]
            [org.apache.storm.util :as util]
            [clojure.set :as set])
  (:import [org.apache.storm.scheduler Cluster Topologies TopologyDetails SupervisorDetails
            ExecutorDetails WorkerSlot SchedulerAssignmentImpl]
           [org.apache.storm.utils Utils]
           [org.apache.storm.shade.org.json.simple JSONValue]
           [java.util HashMap]))

(defn exec [[s e]] [(long s) (long e)])

(defn run-case [defaults case]
  (let [topos (get case "topologies")
        topology->executors (into {} (for [t topos] [(get t "id") (set (map exec (get t "executors")))]))
        existing (into {} (for [t topos :when (get t "existing")]
                            (let [e->np (into {} (for [[e node port] (get t "existing")] [(exec e) [node (long port)]]))]
                              [(get t "id") {:executor->node+port e->np
                                             :worker->resources (into {} (for [np (vals e->np)] [np [0.0 0.0 0.0]]))}])))
        topology->alive (into {} (for [t topos :when (get t "existing")]
                                   [(get t "id") (set/difference
                                                   (set/intersection (topology->executors (get t "id"))
                                                                     (set (map (comp exec first) (get t "existing"))))
                                                   (set (map exec (get t "dead"))))]))
        dead-ports (#'nimbus/compute-supervisor->dead-ports nil existing topology->executors topology->alive)
        sched-assignments (#'nimbus/compute-topology->scheduler-assignment nil existing topology->alive)
        supervisors (into {} (for [s (get case "supervisors")
                                   :let [sid (get s "id")
                                         ports (set/difference (set (map long (get s "ports"))) (get dead-ports sid #{}))]]
                               [sid (SupervisorDetails. sid (get s "host") nil (map int ports))]))
        topologies (Topologies. (into {} (for [t topos]
                                           [(get t "id")
                                            (TopologyDetails. (get t "id") (assoc defaults "topology.name" (get t "id")) nil
                                                              (int (get t "workers"))
                                                              (into {} (for [[s e] (get t "executors")]
                                                                         [(ExecutorDetails. (int s) (int e)) "c"])))])))
        cluster (Cluster. (nimbus/standalone-nimbus) supervisors sched-assignments defaults)]
    (default/default-schedule topologies cluster)
    {"name" (get case "name")
     "assignments" (into (sorted-map)
                         (for [[tid a] (.getAssignments cluster)]
                           [tid (vec (sort (for [[^ExecutorDetails e ^WorkerSlot s] (.getExecutorToSlot a)]
                                             [[(.getStartTask e) (.getEndTask e)] (.getNodeId s) (.getPort s)])))]))}))

(let [defaults (util/clojurify-structure (Utils/readDefaultConfig))
      cases (util/clojurify-structure (JSONValue/parse (slurp "schedule_cases.json")))]
  (println (JSONValue/toJSONString (vec (map #(run-case defaults %) cases)))))
