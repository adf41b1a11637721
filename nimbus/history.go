package nimbus

import (
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/galeproject/gale/compat"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// history is Nimbus's topology history: killed topologies with the users
// and groups that may see their logs, in LocalState key "topo-hist" under
// <storm.local.dir>/nimbus/history (Storm's format).
type history struct {
	mu sync.Mutex
	ls *compat.LocalState
}

func openHistory(dir string, clock func() time.Time) (*history, error) {
	ls, err := compat.OpenLocalStateClock(dir, clock)
	if err != nil {
		return nil, err
	}
	return &history{ls: ls}, nil
}

func (h *history) read() ([]*stormthrift.LSTopoHistory, error) {
	var l stormthrift.LSTopoHistoryList
	ok, err := h.ls.Get(compat.LSTopoHistory, &l)
	if err != nil || !ok {
		return nil, err
	}
	return l.GetTopoHistory(), nil
}

// add appends a killed topology (add-topology-to-history-log).
func (h *history) add(id string, nowSecs int64, users, groups []string, log *slog.Logger) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cur, err := h.read()
	if err != nil {
		log.Warn("read topology history", "err", err)
	}
	cur = append(cur, &stormthrift.LSTopoHistory{TopologyID: id, TimeStamp: nowSecs, Users: users, Groups: groups})
	if err := h.ls.Put(compat.LSTopoHistory, &stormthrift.LSTopoHistoryList{TopoHistory: cur}, true); err != nil {
		log.Warn("write topology history", "err", err)
	}
}

// clean drops entries older than cutoff (clean-topology-history).
func (h *history) clean(cutoffSecs int64, log *slog.Logger) {
	h.mu.Lock()
	defer h.mu.Unlock()
	cur, err := h.read()
	if err != nil || len(cur) == 0 {
		return
	}
	kept := slices.DeleteFunc(slices.Clone(cur), func(e *stormthrift.LSTopoHistory) bool { return e.GetTimeStamp() <= cutoffSecs })
	if len(kept) == len(cur) {
		return
	}
	if err := h.ls.Put(compat.LSTopoHistory, &stormthrift.LSTopoHistoryList{TopoHistory: kept}, true); err != nil {
		log.Warn("write topology history", "err", err)
	}
}

// visible lists the history ids user may see (read-topology-history); an
// empty user sees everything.
func (h *history) visible(user string, admins []string) []string {
	h.mu.Lock()
	cur, _ := h.read()
	h.mu.Unlock()
	var out []string
	for _, e := range cur {
		if user == "" || slices.Contains(admins, user) || slices.Contains(e.GetUsers(), user) {
			out = append(out, e.GetTopologyID())
		}
	}
	return out
}

// logsUsers is get-topo-logs-users: logs.users + topology.users.
func logsUsers(c conf.Conf) []string {
	return distinct(append(stringList(c[conf.LogsUsers]), stringList(c[conf.TopologyUsers])...))
}

// logsGroups is get-topo-logs-groups: logs.groups + topology.groups.
func logsGroups(c conf.Conf) []string {
	return distinct(append(stringList(c[conf.LogsGroups]), stringList(c[conf.TopologyGroups])...))
}
