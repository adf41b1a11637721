package client

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/internal/backoff"
	"github.com/galeproject/gale/stormthrift"
)

// Options say where Nimbus is and how to talk to it.
type Options struct {
	Seeds         []string      // nimbus.seeds (or [nimbus.host])
	Port          int           // nimbus.thrift.port
	MaxBufferSize int           // nimbus.thrift.max_buffer_size
	DialTimeout   time.Duration // per connection attempt; 0 means 10s
	// Retry is Storm's TBackoffConnect policy (storm.nimbus.retry.*); the
	// zero value connects once.
	Retry  backoff.Policy
	Logger *slog.Logger
}

// FromConf reads the client settings Storm's NimbusClient reads.
func FromConf(c conf.Conf, logger *slog.Logger) Options {
	ms := func(key string, def int64) time.Duration { return time.Duration(c.IntOr(key, def)) * time.Millisecond }
	return Options{
		Seeds:         Seeds(c),
		Port:          int(c.IntOr(conf.NimbusThriftPort, 6627)),
		MaxBufferSize: int(c.IntOr(conf.NimbusThriftMaxBufferSize, 1048576)),
		Retry: backoff.Policy{
			Times:    int(c.IntOr(conf.StormNimbusRetryTimes, 5)),
			Interval: ms(conf.StormNimbusRetryInterval, 2000),
			Ceiling:  ms(conf.StormNimbusRetryIntervalCeiling, 60000),
		},
		Logger: logger,
	}
}

// Seeds is NimbusClient's seed list: [nimbus.host] when the deprecated key
// is present, else nimbus.seeds.
func Seeds(c conf.Conf) []string {
	if h, ok := c[conf.NimbusHost]; ok && h != nil {
		return []string{fmt.Sprint(h)}
	}
	return c.Strings(conf.NimbusSeeds)
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// Client is one connection to a Nimbus. It is not safe for concurrent use:
// the Thrift client runs one call at a time. A cancelled dial context closes
// the connection, so a blocked call returns.
type Client struct {
	*stormthrift.NimbusClient
	conn net.Conn
	addr string
	stop func() bool
}

// Addr is the host:port this client is connected to.
func (c *Client) Addr() string { return c.addr }

// Close closes the connection.
func (c *Client) Close() error {
	c.stop()
	return c.conn.Close()
}

// DialAddr opens one framed binary Thrift connection, as Storm's
// SimpleTransportPlugin client does, retrying the TCP connect by o.Retry.
func DialAddr(ctx context.Context, addr string, o Options) (*Client, error) {
	for attempt := 0; ; attempt++ {
		c, err := dialOnce(ctx, addr, o)
		if err == nil || attempt >= o.Retry.Times || ctx.Err() != nil {
			return c, err
		}
		wait := o.Retry.Sleep(attempt, rand.Float64())
		o.logger().Warn("nimbus connect failed; retrying", "addr", addr, "err", err, "in", wait, "retry", attempt+1, "of", o.Retry.Times)
		if err := backoff.Wait(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func dialOnce(ctx context.Context, addr string, o Options) (*Client, error) {
	timeout := o.DialTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	maxBuf := o.MaxBufferSize
	if maxBuf <= 0 {
		maxBuf = 1048576
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect to nimbus %s: %w", addr, err)
	}
	cfg := &thrift.TConfiguration{
		MaxFrameSize:       int32(maxBuf),
		MaxMessageSize:     int32(maxBuf),
		TBinaryStrictRead:  thrift.BoolPtr(false),
		TBinaryStrictWrite: thrift.BoolPtr(true),
	}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketFromConnConf(conn, cfg), cfg)
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	return &Client{
		NimbusClient: stormthrift.NewNimbusClient(thrift.NewTStandardClient(proto, proto)),
		conn:         conn,
		addr:         addr,
		stop:         context.AfterFunc(ctx, func() { conn.Close() }),
	}, nil
}

// LeaderNotFoundError is Storm's NimbusLeaderNotFoundException.
type LeaderNotFoundError struct {
	Msg  string
	Errs []error // why each seed failed
}

func (e *LeaderNotFoundError) Error() string   { return "NimbusLeaderNotFoundException: " + e.Msg }
func (e *LeaderNotFoundError) Unwrap() []error { return e.Errs }

// DialLeader finds and connects to the leader Nimbus as
// NimbusClient.getConfiguredClientAs does: for each seed, getClusterInfo;
// the first answer that lists nimbuses decides (its leader, or an error if
// none is leader); seeds that fail are skipped.
func DialLeader(ctx context.Context, o Options) (*Client, error) {
	port := strconv.Itoa(o.Port)
	var errs []error
	for _, host := range o.Seeds {
		addr := net.JoinHostPort(host, port)
		sc, err := DialAddr(ctx, addr, o)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", addr, err))
			o.logger().Warn("ignoring seed nimbus; trying the next", "seed", host, "err", err)
			continue
		}
		info, err := sc.GetClusterInfo(ctx)
		sc.Close()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: getClusterInfo: %w", addr, err))
			o.logger().Warn("ignoring seed nimbus; trying the next", "seed", host, "err", err)
			continue
		}
		if info.Nimbuses == nil {
			continue
		}
		var found []string
		for _, n := range info.Nimbuses {
			hp := net.JoinHostPort(n.GetHost(), strconv.Itoa(int(n.GetPort())))
			if n.GetIsLeader() {
				lc, err := DialAddr(ctx, hp, o)
				if err != nil {
					return nil, fmt.Errorf("Failed to create a nimbus client for the leader %s: %w", hp, err)
				}
				return lc, nil
			}
			found = append(found, hp)
		}
		return nil, &LeaderNotFoundError{Msg: fmt.Sprintf("Found nimbuses [%s] none of which is elected as leader, please try again after some time.", strings.Join(found, ", "))}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, &LeaderNotFoundError{
		Msg:  fmt.Sprintf("Could not find leader nimbus from seed hosts [%s]. Did you specify a valid list of nimbus hosts for config %s?", strings.Join(o.Seeds, ", "), conf.NimbusSeeds),
		Errs: errs,
	}
}
