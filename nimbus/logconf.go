package nimbus

import (
	"context"
	"strings"

	"github.com/galeproject/gale/stormthrift"
)

// SetLogConfig merges named logger levels into the topology's LogConfig
// (nimbus.clj setLogConfig): existing loggers become UNCHANGED, UPDATE
// entries are stored with their reset epoch (now + timeout, in ms, when the
// timeout is positive), REMOVE entries are dropped.
func (n *Nimbus) SetLogConfig(ctx context.Context, id string, cfg *stormthrift.LogConfig) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	if _, err := n.topo(ctx, id); err != nil {
		return err
	}
	n.logMu.Lock()
	defer n.logMu.Unlock()
	merged, err := n.state.LogConfig(ctx, id)
	if err != nil {
		return internalError("read log config %s: %v", id, err)
	}
	if merged == nil {
		merged = &stormthrift.LogConfig{}
	}
	if merged.NamedLoggerLevel == nil {
		merged.NamedLoggerLevel = map[string]*stormthrift.LogLevel{}
	}
	for _, l := range merged.NamedLoggerLevel {
		if l != nil {
			l.Action = stormthrift.LogLevelAction_UNCHANGED
		}
	}
	now := n.now()
	if cfg == nil {
		cfg = &stormthrift.LogConfig{}
	}
	for name, l := range cfg.NamedLoggerLevel {
		if strings.TrimSpace(name) == "" {
			return internalError("Named loggers need a valid name. Use ROOT for the root logger")
		}
		if l == nil {
			continue
		}
		switch l.GetAction() {
		case stormthrift.LogLevelAction_UPDATE:
			if secs := l.GetResetLogLevelTimeoutSecs(); secs > 0 {
				l.ResetLogLevelTimeoutEpoch = ptr(now.UnixMilli() + int64(secs)*1000)
			} else {
				l.ResetLogLevelTimeoutEpoch = nil
			}
			merged.NamedLoggerLevel[name] = l
		case stormthrift.LogLevelAction_REMOVE:
			delete(merged.NamedLoggerLevel, name)
		}
	}
	if err := n.state.SetLogConfig(ctx, id, merged); err != nil {
		return internalError("write log config %s: %v", id, err)
	}
	n.log.Info("set log config", "storm_id", id, "loggers", len(merged.NamedLoggerLevel))
	return nil
}

// GetLogConfig returns the topology's LogConfig (empty if none).
func (n *Nimbus) GetLogConfig(ctx context.Context, id string) (*stormthrift.LogConfig, error) {
	if _, err := n.topo(ctx, id); err != nil {
		return nil, err
	}
	lc, err := n.state.LogConfig(ctx, id)
	if err != nil {
		return nil, internalError("read log config %s: %v", id, err)
	}
	if lc == nil {
		lc = &stormthrift.LogConfig{}
	}
	return lc, nil
}
