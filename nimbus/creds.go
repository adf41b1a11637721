package nimbus

import (
	"context"

	"github.com/galeproject/gale/stormthrift"
)

// UploadNewCredentials replaces a running topology's credentials
// (/credentials/<id>); workers pick them up.
func (n *Nimbus) UploadNewCredentials(ctx context.Context, name string, creds *stormthrift.Credentials) error {
	if err := n.requireLeader(ctx); err != nil {
		return err
	}
	id, _, err := n.stormIDByName(ctx, name)
	if err != nil {
		return internalError("look up %s: %v", name, err)
	}
	if id == "" {
		return notAlive(name)
	}
	c := &stormthrift.Credentials{Creds: map[string]string{}}
	if creds != nil && creds.Creds != nil {
		c.Creds = creds.Creds
	}
	if err := n.state.SetCredentials(ctx, id, c); err != nil {
		return internalError("write credentials %s: %v", id, err)
	}
	n.log.Info("uploaded new credentials", "storm_id", id)
	return nil
}
