package embedded

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/galeproject/gale/compat/conf"
	"github.com/galeproject/gale/stormthrift"
)

// TestSupervisorsRegister starts supervisors in several sizes and checks
// what Nimbus reports about them.
func TestSupervisorsRegister(t *testing.T) {
	tests := []struct {
		name               string
		supervisors, slots int
		wantSups, wantSlot int
	}{
		{"default", 0, 0, 1, DefaultSlots},
		{"two of two", 2, 2, 2, 2},
		{"none", -1, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cl, err := Start(ctx, Options{Conf: conf.Conf{conf.NimbusThriftPort: int64(0)}, Logger: testLogger(t),
				Supervisors: tt.supervisors, Slots: tt.slots})
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := cl.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			}()
			if got := len(cl.Supervisors()); got != tt.wantSups {
				t.Fatalf("%d supervisors, want %d", got, tt.wantSups)
			}
			var sups []*stormthrift.SupervisorSummary
			for {
				info, err := clusterInfo(ctx, cl.NimbusAddr())
				if err != nil {
					t.Fatal(err)
				}
				if sups = info.GetSupervisors(); len(sups) == tt.wantSups {
					break
				}
				select {
				case <-ctx.Done():
					t.Fatalf("nimbus lists %d supervisors, want %d", len(sups), tt.wantSups)
				case <-time.After(50 * time.Millisecond):
				}
			}
			for _, s := range sups {
				if s.GetHost() != Host || int(s.GetNumWorkers()) != tt.wantSlot {
					t.Errorf("supervisor %s on %s with %d slots, want %s and %d", s.GetSupervisorID(), s.GetHost(), s.GetNumWorkers(), Host, tt.wantSlot)
				}
			}
		})
	}
}

func clusterInfo(ctx context.Context, addr string) (*stormthrift.ClusterSummary, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	cfg := &thrift.TConfiguration{TBinaryStrictWrite: thrift.BoolPtr(true)}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketFromConnConf(conn, cfg), cfg)
	proto := thrift.NewTBinaryProtocolConf(trans, cfg)
	return stormthrift.NewNimbusClient(thrift.NewTStandardClient(proto, proto)).GetClusterInfo(ctx)
}
