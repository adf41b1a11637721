package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/client"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// nimbusConn is a connection to the leader Nimbus (package client).
type nimbusConn = client.Client

// dialLeader finds and connects to the leader Nimbus as Storm's
// NimbusClient.getConfiguredClientAs does (seeds, retries, messages).
func dialLeader(ctx context.Context, c conf.Conf, logger *slog.Logger) (*nimbusConn, error) {
	return client.DialLeader(ctx, client.FromConf(c, logger))
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
		lnf      *client.LeaderNotFoundError
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
		for _, e := range lnf.Errs {
			s += "\n  " + e.Error()
		}
		return s
	case errors.As(err, &appErr):
		return "TApplicationException: " + appErr.Error()
	}
	return err.Error()
}
