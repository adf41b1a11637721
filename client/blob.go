package client

import (
	"context"
	"fmt"
	"io"
)

// DownloadBlob streams blob key into w with beginBlobDownload and
// downloadBlobChunk until the empty chunk, and fails unless the byte count
// equals the data_size Nimbus announced (as Storm's supervisor requires).
func (c *Client) DownloadBlob(ctx context.Context, key string, w io.Writer) (int64, error) {
	begin, err := c.BeginBlobDownload(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("beginBlobDownload %q: %w", key, err)
	}
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		chunk, err := c.DownloadBlobChunk(ctx, begin.GetSession())
		if err != nil {
			return n, fmt.Errorf("downloadBlobChunk %q: %w", key, err)
		}
		if len(chunk) == 0 {
			break
		}
		m, err := w.Write(chunk)
		n += int64(m)
		if err != nil {
			return n, fmt.Errorf("write blob %q: %w", key, err)
		}
	}
	if begin.IsSetDataSize() && n != begin.GetDataSize() {
		return n, fmt.Errorf("blob %q: read %d bytes, nimbus announced %d", key, n, begin.GetDataSize())
	}
	return n, nil
}
