package compat

import (
	"context"
	"fmt"

	"github.com/apache/thrift/lib/go/thrift"
)

// MaxElements bounds the total number of container elements (list, set and
// map entries, summed over the whole value) one decode may announce. The
// generated readers allocate containers up front, so this caps the memory a
// small hostile payload can make them take. Real Storm payloads stay far
// below it (a 10 000-executor assignment has ~30 000 elements).
const MaxElements = 1 << 21

// boundedProtocol charges every container header against an element budget.
type boundedProtocol struct {
	thrift.TProtocol
	budget int
}

func (p *boundedProtocol) charge(n int) error {
	if n > p.budget {
		return thrift.NewTProtocolExceptionWithType(thrift.SIZE_LIMIT,
			fmt.Errorf("more than %d container elements: %w", MaxElements, ErrTooLarge))
	}
	p.budget -= n
	return nil
}

func (p *boundedProtocol) ReadMapBegin(ctx context.Context) (thrift.TType, thrift.TType, int, error) {
	k, v, n, err := p.TProtocol.ReadMapBegin(ctx)
	if err == nil {
		err = p.charge(n)
	}
	return k, v, n, err
}

func (p *boundedProtocol) ReadListBegin(ctx context.Context) (thrift.TType, int, error) {
	t, n, err := p.TProtocol.ReadListBegin(ctx)
	if err == nil {
		err = p.charge(n)
	}
	return t, n, err
}

func (p *boundedProtocol) ReadSetBegin(ctx context.Context) (thrift.TType, int, error) {
	t, n, err := p.TProtocol.ReadSetBegin(ctx)
	if err == nil {
		err = p.charge(n)
	}
	return t, n, err
}

// Skip walks skipped values through the budget too.
func (p *boundedProtocol) Skip(ctx context.Context, t thrift.TType) error {
	return thrift.SkipDefaultDepth(ctx, p, t)
}
