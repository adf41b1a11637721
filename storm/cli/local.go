package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/galeproject/gale/client"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/embedded"
	"github.com/galeproject/gale/stormthrift"
)

// LocalOptions configure StartLocal.
type LocalOptions struct {
	// Name is the topology name ("" = Topology.Name).
	Name string
	// ClusterConf is the cluster configuration (nil: Storm's defaults).
	// Its nimbus.thrift.port is where Nimbus listens (0: a free port).
	ClusterConf conf.Conf
	// Overrides are merged over the topology configuration, like -c.
	Overrides conf.Conf
	// Supervisors and Slots size the cluster (see embedded.Options).
	Supervisors, Slots int
	// Dir is storm.local.dir ("" = a temporary directory).
	Dir string
	// Artifact is uploaded as the topology artifact ("" = os.Executable()).
	Artifact string
	Logger   *slog.Logger
}

// Local is a topology running on an embedded cluster in this process.
type Local struct {
	Cluster *embedded.Cluster
	Name    string
	StormID string
	// Conf is the topology configuration that was submitted.
	Conf   conf.Conf
	logger *slog.Logger
}

// StartLocal starts an embedded cluster whose workers run t's components
// and submits t to it.
func StartLocal(ctx context.Context, t Topology, o LocalOptions) (*Local, error) {
	name := o.Name
	if name == "" {
		name = t.Name
	}
	if name == "" {
		return nil, errors.New("cli: no topology name")
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	overrides := o.Overrides
	if overrides == nil {
		overrides = conf.Conf{}
	}
	topo, tc, err := build(t, overrides)
	if err != nil {
		return nil, err
	}
	artifact := o.Artifact
	if artifact == "" {
		if artifact, err = (Env{}).executable(); err != nil {
			return nil, err
		}
	}
	cl, err := embedded.Start(ctx, embedded.Options{
		Conf: o.ClusterConf, Dir: o.Dir, Logger: logger,
		Supervisors: o.Supervisors, Slots: o.Slots,
		Components: t.App,
	})
	if err != nil {
		return nil, err
	}
	cc := cl.ClientConf()
	cc[conf.StormNimbusRetryTimes] = int64(0)
	id, err := Submit(ctx, cc, Submission{Name: name, Topology: topo, Conf: tc, Artifact: artifact}, logger)
	if err != nil {
		cl.Close()
		return nil, err
	}
	return &Local{Cluster: cl, Name: name, StormID: id, Conf: tc, logger: logger}, nil
}

// Client connects to the cluster's Nimbus; the caller closes it.
func (l *Local) Client(ctx context.Context) (*client.Client, error) {
	cc := l.Cluster.ClientConf()
	cc[conf.StormNimbusRetryTimes] = int64(0)
	return client.DialLeader(ctx, client.FromConf(cc, l.logger))
}

// Info returns the topology's getTopologyInfo.
func (l *Local) Info(ctx context.Context) (*stormthrift.TopologyInfo, error) {
	c, err := l.Client(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.GetTopologyInfo(ctx, l.StormID)
}

// Kill kills the topology with no wait and waits until Nimbus no longer
// lists it (or ctx ends).
func (l *Local) Kill(ctx context.Context) error {
	c, err := l.Client(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.KillTopologyWithOpts(ctx, l.Name, &stormthrift.KillOptions{WaitSecs: ptr(int32(0))}); err != nil {
		return fmt.Errorf("killTopology %s: %w", l.Name, err)
	}
	for {
		info, err := c.GetClusterInfo(ctx)
		if err != nil {
			return err
		}
		gone := true
		for _, t := range info.GetTopologies() {
			if t.GetID() == l.StormID {
				gone = false
			}
		}
		if gone {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Close stops the cluster and everything running on it.
func (l *Local) Close() error { return l.Cluster.Close() }

func ptr[T any](v T) *T { return &v }

// Counts are a topology's cumulative counters over all its executors
// (window ":all-time", system streams left out), as getTopologyInfo
// reports them from the workers' heartbeats.
type Counts struct {
	Executors, Workers    int
	Emitted, Transferred  int64
	Acked, Failed         int64 // spout acks and fails: complete and failed tuple trees
	BoltAcked, BoltFailed int64
}

// AllTime is the stats window of cumulative counters.
const AllTime = ":all-time"

// CountsOf sums info's executor stats.
func CountsOf(info *stormthrift.TopologyInfo) Counts {
	var c Counts
	slots := map[string]bool{}
	sum := func(m map[string]map[string]int64) int64 {
		var n int64
		for stream, v := range m[AllTime] {
			if !strings.HasPrefix(stream, "__") {
				n += v
			}
		}
		return n
	}
	sumAny := func(m map[string]map[string]int64) int64 {
		var n int64
		for _, v := range m[AllTime] {
			n += v
		}
		return n
	}
	for _, e := range info.GetExecutors() {
		if strings.HasPrefix(e.GetComponentID(), "__") {
			continue
		}
		c.Executors++
		slots[fmt.Sprintf("%s:%d", e.GetHost(), e.GetPort())] = true
		s := e.GetStats()
		if s == nil || s.GetSpecific() == nil {
			continue
		}
		c.Emitted += sum(s.GetEmitted())
		c.Transferred += sum(s.GetTransferred())
		if sp := s.GetSpecific().GetSpout(); sp != nil {
			c.Acked += sumAny(sp.GetAcked())
			c.Failed += sumAny(sp.GetFailed())
		}
		if b := s.GetSpecific().GetBolt(); b != nil {
			for from, v := range b.GetAcked()[AllTime] {
				if !strings.HasPrefix(from.GetComponentId(), "__") {
					c.BoltAcked += v
				}
			}
			for from, v := range b.GetFailed()[AllTime] {
				if !strings.HasPrefix(from.GetComponentId(), "__") {
					c.BoltFailed += v
				}
			}
		}
	}
	c.Workers = len(slots)
	return c
}

func (c Counts) String() string {
	return fmt.Sprintf("%d executors on %d workers; emitted %d, transferred %d, acked %d, failed %d",
		c.Executors, c.Workers, c.Emitted, c.Transferred, c.Acked, c.Failed)
}
