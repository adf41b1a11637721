package e2e

import (
	"testing"

	"github.com/galeproject/gale/internal/zktest"
)

// One ZooKeeper for the whole test binary (or $GALE_TEST_ZK).
func TestMain(m *testing.M) { zktest.Main(m) }
