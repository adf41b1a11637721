package stormthrift

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/thrift/lib/go/thrift"
)

// Assignment is Storm's `struct Assignment`, written by hand because the Go
// generator cannot key a map by list<i64>.
//
// The list-keyed and struct-keyed maps are kept as ordered entry slices: a
// decoded Assignment re-encodes to the same bytes, in the same entry order,
// as the encoder that produced it (Storm's Java classes included). As in the
// Java bindings, whose optional maps default to {}, all five fields are always
// written; nil maps go out empty.
type Assignment struct {
	MasterCodeDir         string
	NodeHost              map[string]string
	ExecutorNodePort      []ExecutorNodePort
	ExecutorStartTimeSecs []ExecutorStartTime
	WorkerResources       []SlotResources
	// nodeHostOrder keeps the decoded key order of NodeHost so that a decode
	// and re-encode is byte-identical; keys not in it are written after,
	// sorted.
	nodeHostOrder []string
}

// ExecutorNodePort is one entry of Assignment.executor_node_port.
type ExecutorNodePort struct {
	Executor []int64 // [first task, last task]
	Node     *NodeInfo
}

// ExecutorStartTime is one entry of Assignment.executor_start_time_secs.
type ExecutorStartTime struct {
	Executor      []int64
	StartTimeSecs int64
}

// SlotResources is one entry of Assignment.worker_resources.
type SlotResources struct {
	Node      *NodeInfo
	Resources *WorkerResources
}

// NewAssignment returns an empty Assignment.
func NewAssignment() *Assignment { return &Assignment{} }

func (p *Assignment) String() string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprintf("Assignment(%+v)", *p)
}

// Read decodes an Assignment; master_code_dir is required.
func (p *Assignment) Read(ctx context.Context, in thrift.TProtocol) error {
	if _, err := in.ReadStructBegin(ctx); err != nil {
		return thrift.PrependError("Assignment read: ", err)
	}
	var haveDir bool
	for {
		_, typ, id, err := in.ReadFieldBegin(ctx)
		if err != nil {
			return thrift.PrependError(fmt.Sprintf("Assignment field %d: ", id), err)
		}
		if typ == thrift.STOP {
			break
		}
		switch {
		case id == 1 && typ == thrift.STRING:
			if p.MasterCodeDir, err = in.ReadString(ctx); err != nil {
				return thrift.PrependError("Assignment.master_code_dir: ", err)
			}
			haveDir = true
		case id == 2 && typ == thrift.MAP:
			err = p.readNodeHost(ctx, in)
		case id == 3 && typ == thrift.MAP:
			err = p.readExecutorNodePort(ctx, in)
		case id == 4 && typ == thrift.MAP:
			err = p.readStartTimes(ctx, in)
		case id == 5 && typ == thrift.MAP:
			err = p.readWorkerResources(ctx, in)
		default:
			err = in.Skip(ctx, typ)
		}
		if err != nil {
			return err
		}
		if err := in.ReadFieldEnd(ctx); err != nil {
			return err
		}
	}
	if err := in.ReadStructEnd(ctx); err != nil {
		return thrift.PrependError("Assignment read end: ", err)
	}
	if !haveDir {
		return thrift.NewTProtocolExceptionWithType(thrift.INVALID_DATA, fmt.Errorf("Required field MasterCodeDir is not set"))
	}
	return nil
}

func mapBegin(ctx context.Context, in thrift.TProtocol, key, val thrift.TType, what string) (int, error) {
	k, v, n, err := in.ReadMapBegin(ctx)
	if err != nil {
		return 0, thrift.PrependError(what+": ", err)
	}
	if n > 0 && (k != key || v != val) {
		return 0, thrift.NewTProtocolExceptionWithType(thrift.INVALID_DATA,
			fmt.Errorf("%s: map<%v,%v> where map<%v,%v> was expected", what, k, v, key, val))
	}
	return n, nil
}

func readI64List(ctx context.Context, in thrift.TProtocol) ([]int64, error) {
	typ, n, err := in.ReadListBegin(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 && typ != thrift.I64 {
		return nil, thrift.NewTProtocolExceptionWithType(thrift.INVALID_DATA, fmt.Errorf("list<%v> where list<i64> was expected", typ))
	}
	l := make([]int64, 0, min(n, 16))
	for i := 0; i < n; i++ {
		v, err := in.ReadI64(ctx)
		if err != nil {
			return nil, err
		}
		l = append(l, v)
	}
	return l, in.ReadListEnd(ctx)
}

func (p *Assignment) readNodeHost(ctx context.Context, in thrift.TProtocol) error {
	n, err := mapBegin(ctx, in, thrift.STRING, thrift.STRING, "Assignment.node_host")
	if err != nil {
		return err
	}
	p.NodeHost = make(map[string]string, min(n, 64))
	p.nodeHostOrder = p.nodeHostOrder[:0]
	for i := 0; i < n; i++ {
		k, err := in.ReadString(ctx)
		if err != nil {
			return err
		}
		v, err := in.ReadString(ctx)
		if err != nil {
			return err
		}
		if _, dup := p.NodeHost[k]; !dup {
			p.nodeHostOrder = append(p.nodeHostOrder, k)
		}
		p.NodeHost[k] = v
	}
	return in.ReadMapEnd(ctx)
}

func (p *Assignment) readExecutorNodePort(ctx context.Context, in thrift.TProtocol) error {
	n, err := mapBegin(ctx, in, thrift.LIST, thrift.STRUCT, "Assignment.executor_node_port")
	if err != nil {
		return err
	}
	p.ExecutorNodePort = make([]ExecutorNodePort, 0, min(n, 1024))
	for i := 0; i < n; i++ {
		k, err := readI64List(ctx, in)
		if err != nil {
			return thrift.PrependError("Assignment.executor_node_port key: ", err)
		}
		v := NewNodeInfo()
		if err := v.Read(ctx, in); err != nil {
			return err
		}
		p.ExecutorNodePort = append(p.ExecutorNodePort, ExecutorNodePort{Executor: k, Node: v})
	}
	return in.ReadMapEnd(ctx)
}

func (p *Assignment) readStartTimes(ctx context.Context, in thrift.TProtocol) error {
	n, err := mapBegin(ctx, in, thrift.LIST, thrift.I64, "Assignment.executor_start_time_secs")
	if err != nil {
		return err
	}
	p.ExecutorStartTimeSecs = make([]ExecutorStartTime, 0, min(n, 1024))
	for i := 0; i < n; i++ {
		k, err := readI64List(ctx, in)
		if err != nil {
			return thrift.PrependError("Assignment.executor_start_time_secs key: ", err)
		}
		v, err := in.ReadI64(ctx)
		if err != nil {
			return err
		}
		p.ExecutorStartTimeSecs = append(p.ExecutorStartTimeSecs, ExecutorStartTime{Executor: k, StartTimeSecs: v})
	}
	return in.ReadMapEnd(ctx)
}

func (p *Assignment) readWorkerResources(ctx context.Context, in thrift.TProtocol) error {
	n, err := mapBegin(ctx, in, thrift.STRUCT, thrift.STRUCT, "Assignment.worker_resources")
	if err != nil {
		return err
	}
	p.WorkerResources = make([]SlotResources, 0, min(n, 1024))
	for i := 0; i < n; i++ {
		k := NewNodeInfo()
		if err := k.Read(ctx, in); err != nil {
			return err
		}
		v := NewWorkerResources()
		if err := v.Read(ctx, in); err != nil {
			return err
		}
		p.WorkerResources = append(p.WorkerResources, SlotResources{Node: k, Resources: v})
	}
	return in.ReadMapEnd(ctx)
}

// Write encodes the Assignment as Storm's Java bindings do.
func (p *Assignment) Write(ctx context.Context, out thrift.TProtocol) error {
	if err := out.WriteStructBegin(ctx, "Assignment"); err != nil {
		return err
	}
	if err := p.writeFields(ctx, out); err != nil {
		return thrift.PrependError("Assignment write: ", err)
	}
	if err := out.WriteFieldStop(ctx); err != nil {
		return err
	}
	return out.WriteStructEnd(ctx)
}

func (p *Assignment) writeFields(ctx context.Context, out thrift.TProtocol) error {
	w := fieldWriter{ctx: ctx, out: out}
	w.begin("master_code_dir", thrift.STRING, 1)
	w.do(func() error { return out.WriteString(ctx, p.MasterCodeDir) })
	w.end()

	w.begin("node_host", thrift.MAP, 2)
	w.do(func() error { return out.WriteMapBegin(ctx, thrift.STRING, thrift.STRING, len(p.NodeHost)) })
	for _, k := range p.nodeHostKeys() {
		w.do(func() error { return out.WriteString(ctx, k) })
		w.do(func() error { return out.WriteString(ctx, p.NodeHost[k]) })
	}
	w.do(func() error { return out.WriteMapEnd(ctx) })
	w.end()

	w.begin("executor_node_port", thrift.MAP, 3)
	w.do(func() error { return out.WriteMapBegin(ctx, thrift.LIST, thrift.STRUCT, len(p.ExecutorNodePort)) })
	for _, e := range p.ExecutorNodePort {
		w.i64List(e.Executor)
		node := e.Node
		if node == nil {
			node = &NodeInfo{Port: []int64{}}
		}
		w.do(func() error { return node.Write(ctx, out) })
	}
	w.do(func() error { return out.WriteMapEnd(ctx) })
	w.end()

	w.begin("executor_start_time_secs", thrift.MAP, 4)
	w.do(func() error { return out.WriteMapBegin(ctx, thrift.LIST, thrift.I64, len(p.ExecutorStartTimeSecs)) })
	for _, e := range p.ExecutorStartTimeSecs {
		w.i64List(e.Executor)
		w.do(func() error { return out.WriteI64(ctx, e.StartTimeSecs) })
	}
	w.do(func() error { return out.WriteMapEnd(ctx) })
	w.end()

	w.begin("worker_resources", thrift.MAP, 5)
	w.do(func() error { return out.WriteMapBegin(ctx, thrift.STRUCT, thrift.STRUCT, len(p.WorkerResources)) })
	for _, e := range p.WorkerResources {
		node, res := e.Node, e.Resources
		if node == nil {
			node = &NodeInfo{Port: []int64{}}
		}
		if res == nil {
			res = NewWorkerResources()
		}
		w.do(func() error { return node.Write(ctx, out) })
		w.do(func() error { return res.Write(ctx, out) })
	}
	w.do(func() error { return out.WriteMapEnd(ctx) })
	w.end()
	return w.err
}

// nodeHostKeys is the write order of NodeHost: decoded order first, then any
// other keys sorted.
func (p *Assignment) nodeHostKeys() []string {
	keys := make([]string, 0, len(p.NodeHost))
	seen := make(map[string]bool, len(p.NodeHost))
	for _, k := range p.nodeHostOrder {
		if _, ok := p.NodeHost[k]; ok && !seen[k] {
			keys = append(keys, k)
			seen[k] = true
		}
	}
	rest := len(keys)
	for k := range p.NodeHost {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys[rest:])
	return keys
}

// fieldWriter sequences protocol writes and keeps the first error.
type fieldWriter struct {
	ctx context.Context
	out thrift.TProtocol
	err error
}

func (w *fieldWriter) do(f func() error) {
	if w.err == nil {
		w.err = f()
	}
}

func (w *fieldWriter) begin(name string, typ thrift.TType, id int16) {
	w.do(func() error { return w.out.WriteFieldBegin(w.ctx, name, typ, id) })
}

func (w *fieldWriter) end() { w.do(func() error { return w.out.WriteFieldEnd(w.ctx) }) }

func (w *fieldWriter) i64List(l []int64) {
	w.do(func() error { return w.out.WriteListBegin(w.ctx, thrift.I64, len(l)) })
	for _, v := range l {
		w.do(func() error { return w.out.WriteI64(w.ctx, v) })
	}
	w.do(func() error { return w.out.WriteListEnd(w.ctx) })
}
