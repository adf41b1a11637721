package nimbus

import (
	"context"
)

// Jar upload (beginFileUpload / uploadChunk / finishFileUpload) into the
// inbox, and the legacy download pair, which in Storm 1.0.0 reads a blob
// key (so no path outside the blob store is reachable).

// BeginFileUpload issues a new inbox location.
func (n *Nimbus) BeginFileUpload(ctx context.Context) (string, error) {
	loc, err := n.inbox.BeginUpload()
	if err != nil {
		return "", internalError("begin upload: %v", err)
	}
	n.log.Info("uploading file from client", "location", loc)
	return loc, nil
}

// UploadChunk appends to an upload this Nimbus issued.
func (n *Nimbus) UploadChunk(ctx context.Context, location string, chunk []byte) error {
	if err := n.inbox.UploadChunk(location, chunk); err != nil {
		n.log.Warn("upload chunk refused", "location", location, "err", err)
		return internalError("File for that location does not exist (or timed out)")
	}
	return nil
}

// FinishFileUpload closes an upload; its location can then be submitted.
func (n *Nimbus) FinishFileUpload(ctx context.Context, location string) error {
	if err := n.inbox.FinishUpload(location); err != nil {
		n.log.Warn("finish upload refused", "location", location, "err", err)
		return internalError("File for that location does not exist (or timed out)")
	}
	n.log.Info("finished uploading file from client", "location", location)
	return nil
}

// BeginFileDownload opens a download of the blob named file.
func (n *Nimbus) BeginFileDownload(ctx context.Context, file string) (string, error) {
	r, err := n.blobs.BeginDownload(file)
	if err != nil {
		return "", internalError("%v", blobErr(file, err))
	}
	return r.GetSession(), nil
}

// DownloadChunk returns the next chunk of a legacy download; empty at the
// end.
func (n *Nimbus) DownloadChunk(ctx context.Context, id string) ([]byte, error) {
	b, err := n.blobs.DownloadChunk(id)
	if err != nil {
		return nil, internalError("Could not find input stream for that id")
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}
