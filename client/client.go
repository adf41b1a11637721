package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/stormthrift"
)

// Options say where Nimbus is and how to talk to it.
type Options struct {
	Seeds         []string      // nimbus.seeds (or [nimbus.host])
	Port          int           // nimbus.thrift.port
	MaxBufferSize int           // nimbus.thrift.max_buffer_size
	DialTimeout   time.Duration // per connection attempt; 0 means 10s
}

// Client is one connection to a Nimbus. It is not safe for concurrent use:
// the Thrift client pipelines one call at a time.
type Client struct {
	*stormthrift.NimbusClient
	trans thrift.TTransport
	addr  string
}

// Addr is the host:port this client is connected to.
func (c *Client) Addr() string { return c.addr }

// Close closes the connection.
func (c *Client) Close() error { return c.trans.Close() }

// DialAddr opens a framed binary Thrift connection to one Nimbus.
func DialAddr(ctx context.Context, addr string, o Options) (*Client, error) {
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
		trans:        trans,
		addr:         addr,
	}, nil
}

// ErrLeaderNotFound is returned when no seed names a leader Nimbus
// (Storm's NimbusLeaderNotFoundException).
var ErrLeaderNotFound = errors.New("could not find leader nimbus")

// DialLeader finds the leader as NimbusClient.getConfiguredClient does: ask
// each seed for getClusterInfo and connect to the NimbusSummary marked
// leader.
func DialLeader(ctx context.Context, o Options) (*Client, error) {
	var errs []error
	for _, seed := range o.Seeds {
		addr := net.JoinHostPort(seed, strconv.Itoa(o.Port))
		c, err := DialAddr(ctx, addr, o)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		info, err := c.GetClusterInfo(ctx)
		c.Close()
		if err != nil {
			errs = append(errs, fmt.Errorf("getClusterInfo on %s: %w", addr, err))
			continue
		}
		for _, n := range info.GetNimbuses() {
			if n.GetIsLeader() {
				return DialAddr(ctx, net.JoinHostPort(n.GetHost(), strconv.Itoa(int(n.GetPort()))), o)
			}
		}
		errs = append(errs, fmt.Errorf("%s knows no leader", addr))
	}
	return nil, fmt.Errorf("%w (seeds %v): %w", ErrLeaderNotFound, o.Seeds, errors.Join(errs...))
}
