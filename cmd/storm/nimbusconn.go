package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/cluster/store/zk"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// nimbusConn is one framed binary Thrift connection to a Nimbus, as Storm's
// SimpleTransportPlugin client opens it. Not safe for concurrent use.
type nimbusConn struct {
	*stormthrift.NimbusClient
	conn net.Conn
	addr string
	stop func() bool // unregisters the close-on-cancel hook
}

func (c *nimbusConn) Close() error {
	c.stop()
	return c.conn.Close()
}

// dialNimbus connects to addr with the transport settings of conf c. A
// cancelled ctx closes the connection, so a blocked call returns.
func dialNimbus(ctx context.Context, c conf.Conf, addr string) (*nimbusConn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	maxBuf := int32(c.IntOr(conf.NimbusThriftMaxBufferSize, 1048576))
	cfg := &thrift.TConfiguration{
		MaxFrameSize:       maxBuf,
		MaxMessageSize:     maxBuf,
		TBinaryStrictRead:  thrift.BoolPtr(false),
		TBinaryStrictWrite: thrift.BoolPtr(true),
	}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketFromConnConf(conn, cfg), cfg)
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	return &nimbusConn{
		NimbusClient: stormthrift.NewNimbusClient(thrift.NewTStandardClient(proto, proto)),
		conn:         conn,
		addr:         addr,
		stop:         context.AfterFunc(ctx, func() { conn.Close() }),
	}, nil
}

// dialWithRetry retries the TCP connect as Storm's TBackoffConnect does:
// storm.nimbus.retry.times more attempts, waiting as
// StormBoundedExponentialBackoffRetry does from
// storm.nimbus.retry.interval.millis up to
// storm.nimbus.retry.intervalceiling.millis.
func dialWithRetry(ctx context.Context, c conf.Conf, addr string, logger *slog.Logger) (*nimbusConn, error) {
	ms := func(key string, def int64) time.Duration { return time.Duration(c.IntOr(key, def)) * time.Millisecond }
	policy := zk.Retry{
		Times:    int(c.IntOr(conf.StormNimbusRetryTimes, 5)),
		Interval: ms(conf.StormNimbusRetryInterval, 2000),
		Ceiling:  ms(conf.StormNimbusRetryIntervalCeiling, 60000),
	}
	for attempt := 0; ; attempt++ {
		nc, err := dialNimbus(ctx, c, addr)
		if err == nil || attempt >= policy.Times || ctx.Err() != nil {
			return nc, err
		}
		wait := policy.Sleep(attempt, rand.Float64())
		logger.Warn("nimbus connect failed; retrying", "addr", addr, "err", err, "in", wait, "retry", attempt+1, "of", policy.Times)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// nimbusSeeds is NimbusClient's seed list: [nimbus.host] when the deprecated
// key is present, else nimbus.seeds.
func nimbusSeeds(c conf.Conf) []string {
	if h, ok := c[conf.NimbusHost]; ok && h != nil {
		return []string{fmt.Sprint(h)}
	}
	return c.Strings(conf.NimbusSeeds)
}

// leaderNotFoundError is Storm's NimbusLeaderNotFoundException.
type leaderNotFoundError struct {
	msg  string
	errs []error // why each seed failed
}

func (e *leaderNotFoundError) Error() string   { return "NimbusLeaderNotFoundException: " + e.msg }
func (e *leaderNotFoundError) Unwrap() []error { return e.errs }

// dialLeader finds and connects to the leader Nimbus as
// NimbusClient.getConfiguredClientAs does: for each seed, getClusterInfo;
// the first answer that lists nimbuses decides (its leader, or an error if
// none is leader); seeds that fail are skipped.
func dialLeader(ctx context.Context, c conf.Conf, logger *slog.Logger) (*nimbusConn, error) {
	seeds := nimbusSeeds(c)
	port := strconv.FormatInt(c.IntOr(conf.NimbusThriftPort, 6627), 10)
	var errs []error
	for _, host := range seeds {
		addr := net.JoinHostPort(host, port)
		sc, err := dialWithRetry(ctx, c, addr, logger)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", addr, err))
			logger.Warn("ignoring seed nimbus; trying the next", "seed", host, "err", err)
			continue
		}
		info, err := sc.GetClusterInfo(ctx)
		sc.Close()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: getClusterInfo: %w", addr, err))
			logger.Warn("ignoring seed nimbus; trying the next", "seed", host, "err", err)
			continue
		}
		if info.Nimbuses == nil {
			continue
		}
		var found []string
		for _, n := range info.Nimbuses {
			if n.GetIsLeader() {
				leader := net.JoinHostPort(n.GetHost(), strconv.Itoa(int(n.GetPort())))
				lc, err := dialWithRetry(ctx, c, leader, logger)
				if err != nil {
					return nil, fmt.Errorf("Failed to create a nimbus client for the leader %s:%d: %w", n.GetHost(), n.GetPort(), err)
				}
				return lc, nil
			}
			found = append(found, net.JoinHostPort(n.GetHost(), strconv.Itoa(int(n.GetPort()))))
		}
		return nil, &leaderNotFoundError{msg: fmt.Sprintf("Found nimbuses [%s] none of which is elected as leader, please try again after some time.", strings.Join(found, ", "))}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, &leaderNotFoundError{
		msg:  fmt.Sprintf("Could not find leader nimbus from seed hosts [%s]. Did you specify a valid list of nimbus hosts for config %s?", strings.Join(seeds, ", "), conf.NimbusSeeds),
		errs: errs,
	}
}

// describeErr renders an error for the user the way Storm's generated
// exceptions print themselves (e.g. "NotAliveException(msg:x is not
// alive)"), falling back to the plain message.
func describeErr(err error) string {
	var (
		notAlive *stormthrift.NotAliveException
		already  *stormthrift.AlreadyAliveException
		invalid  *stormthrift.InvalidTopologyException
		authz    *stormthrift.AuthorizationException
		noKey    *stormthrift.KeyNotFoundException
		keyDup   *stormthrift.KeyAlreadyExistsException
		appErr   thrift.TApplicationException
		lnf      *leaderNotFoundError
	)
	switch {
	case errors.As(err, &notAlive):
		return "NotAliveException(msg:" + notAlive.Msg + ")"
	case errors.As(err, &already):
		return "AlreadyAliveException(msg:" + already.Msg + ")"
	case errors.As(err, &invalid):
		return "InvalidTopologyException(msg:" + invalid.Msg + ")"
	case errors.As(err, &authz):
		return "AuthorizationException(msg:" + authz.Msg + ")"
	case errors.As(err, &noKey):
		return "KeyNotFoundException(msg:" + noKey.Msg + ")"
	case errors.As(err, &keyDup):
		return "KeyAlreadyExistsException(msg:" + keyDup.Msg + ")"
	case errors.As(err, &lnf):
		s := lnf.Error()
		for _, e := range lnf.errs {
			s += "\n  " + e.Error()
		}
		return s
	case errors.As(err, &appErr):
		return "TApplicationException: " + appErr.Error()
	}
	return err.Error()
}
