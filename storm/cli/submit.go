package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/galeproject/gale/client"
	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// ChunkSize is the size of the uploadChunk calls, as StormSubmitter's.
const ChunkSize = 307200

// Submission is one topology to submit.
type Submission struct {
	Name     string
	Topology *stormthrift.StormTopology
	// Conf is the topology configuration (JSON-encoded for Nimbus).
	Conf conf.Conf
	// Artifact is the file uploaded as the topology's stormjar.jar: for a
	// Go topology its own executable.
	Artifact string
}

// Submit uploads s.Artifact to the leader Nimbus the client configuration
// c names, submits the topology active, and returns its topology id.
func Submit(ctx context.Context, c conf.Conf, s Submission, logger *slog.Logger) (string, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	js, err := conf.ToJSON(s.Conf)
	if err != nil {
		return "", fmt.Errorf("topology configuration: %w", err)
	}
	n, err := client.DialLeader(ctx, client.FromConf(c, logger))
	if err != nil {
		return "", err
	}
	defer n.Close()
	loc, err := upload(ctx, n, s.Artifact)
	if err != nil {
		return "", err
	}
	logger.Info("uploaded topology artifact", "file", s.Artifact, "location", loc)
	opts := &stormthrift.SubmitOptions{InitialStatus: stormthrift.TopologyInitialStatus_ACTIVE}
	if err := n.SubmitTopologyWithOpts(ctx, s.Name, loc, string(js), s.Topology, opts); err != nil {
		return "", fmt.Errorf("submitTopology %s: %w", s.Name, err)
	}
	return topologyID(ctx, n, s.Name)
}

// upload sends the file at path with beginFileUpload, uploadChunk and
// finishFileUpload and returns the upload location.
func upload(ctx context.Context, n *client.Client, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("topology artifact: %w", err)
	}
	defer f.Close()
	loc, err := n.BeginFileUpload(ctx)
	if err != nil {
		return "", fmt.Errorf("beginFileUpload: %w", err)
	}
	buf := make([]byte, ChunkSize)
	for {
		k, rerr := io.ReadFull(f, buf)
		if k > 0 {
			if err := n.UploadChunk(ctx, loc, buf[:k]); err != nil {
				return "", fmt.Errorf("uploadChunk: %w", err)
			}
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			return "", fmt.Errorf("read topology artifact: %w", rerr)
		}
	}
	if err := n.FinishFileUpload(ctx, loc); err != nil {
		return "", fmt.Errorf("finishFileUpload: %w", err)
	}
	return loc, nil
}

// topologyID finds the id of the topology called name.
func topologyID(ctx context.Context, n *client.Client, name string) (string, error) {
	info, err := n.GetClusterInfo(ctx)
	if err != nil {
		return "", fmt.Errorf("getClusterInfo: %w", err)
	}
	for _, t := range info.GetTopologies() {
		if t.GetName() == name {
			return t.GetID(), nil
		}
	}
	return "", fmt.Errorf("topology %s was submitted but is not listed", name)
}
