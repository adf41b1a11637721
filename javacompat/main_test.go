package javacompat

import (
	"testing"

	"github.com/galeproject/gale/internal/zktest"
)

// TestMain shares one ZooKeeper among the tests; each test uses its own
// chroot.
func TestMain(m *testing.M) { zktest.Main(m) }
