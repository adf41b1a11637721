package topology

import (
	"errors"
	"testing"
)

// FuzzSystem feeds arbitrary component json_conf text (outside bytes: it
// comes from the submitting client) through Normalize, System and
// TaskComponents: they must return a result or an *InvalidError, never panic.
func FuzzSystem(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `{"topology.tasks":3}`, `{"topology.tasks":-2}`, `{"topology.tasks":1e300}`,
		`{"topology.max.task.parallelism":0}`, `{"topology.tasks":"3"}`, `[`, `{"a":{"b":[1,2,{"c":null}]}}`,
		`{"topology.tasks":2147483647}`, `{"topology.tasks":2.5}`, `{} {}`,
	} {
		f.Add(s, int32(2))
	}
	f.Fuzz(func(t *testing.T, js string, hint int32) {
		user := newFixture().
			spout("s", hint, &js, map[string][]string{"default": {"a"}}).
			bolt("b", 1, &js, nil).sub("b", "s", "default", []string{"a"}).t
		conf := defaultConf()
		n, err := Normalize(user, conf)
		if err != nil {
			wantInvalid(t, err)
			return
		}
		sys, err := System(n, conf)
		if err != nil {
			wantInvalid(t, err)
			return
		}
		tc, err := TaskComponents(sys)
		if err != nil {
			wantInvalid(t, err)
			return
		}
		ct := ComponentTasks(tc)
		for comp, tasks := range ct {
			_ = ExecutorComponents(map[string][]int32{comp: tasks}, ComponentParallelism(sys))
		}
	})
}

func wantInvalid(t *testing.T, err error) {
	t.Helper()
	var ie *InvalidError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v is not an *InvalidError", err)
	}
}
