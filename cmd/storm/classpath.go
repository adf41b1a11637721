package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/galeproject/gale/internal/stormjars"
)

// StormCoreVersion is the Storm client library `storm jar` puts on the
// classpath: the release whose wire formats Gale speaks.
const StormCoreVersion = stormjars.Version

// classpathResolver finds the storm-core client jars.
type classpathResolver struct {
	getenv func(string) string
	logger *slog.Logger
	// cacheDir is the stormjars base directory (the generated pom and the
	// resolved classpath file go in its storm-core-<version>/);
	// "" means stormjars.BaseDir.
	cacheDir string
}

// stormJars returns the Storm part of the client classpath, first found of:
//  1. explicit (the --classpath flag), verbatim;
//  2. $STORM_CLASSPATH, verbatim;
//  3. a Storm release at $STORM_HOME (jars in it, lib/ and extlib/, as storm.py);
//  4. storm-core 1.0.0 and its runtime dependencies from the local Maven
//     repository, resolved once with `mvn dependency:build-classpath` and cached.
func (r classpathResolver) stormJars(ctx context.Context, explicit string) ([]string, error) {
	if explicit != "" {
		return filepath.SplitList(explicit), nil
	}
	if cp := r.getenv("STORM_CLASSPATH"); cp != "" {
		return filepath.SplitList(cp), nil
	}
	if home := r.getenv("STORM_HOME"); home != "" {
		if lib := jarsIn(filepath.Join(home, "lib")); len(lib) > 0 {
			jars := jarsIn(home)
			jars = append(jars, lib...)
			return append(jars, jarsIn(filepath.Join(home, "extlib"))...), nil
		}
	}
	return r.maven(ctx)
}

// clientClasspath is storm.py's get_classpath(extrajars, daemon=False): the
// Storm jars, the jars of each $STORM_EXT_CLASSPATH entry, then extra.
func (r classpathResolver) clientClasspath(ctx context.Context, explicit string, extra ...string) (string, error) {
	cp, err := r.stormJars(ctx, explicit)
	if err != nil {
		return "", err
	}
	if ext := r.getenv("STORM_EXT_CLASSPATH"); ext != "" {
		for _, p := range filepath.SplitList(ext) {
			cp = append(cp, jarsIn(p)...)
		}
	}
	cp = append(cp, extra...)
	return strings.Join(cp, string(os.PathListSeparator)), nil
}

func (r classpathResolver) dir() (string, error) {
	if r.cacheDir != "" {
		return r.cacheDir, nil
	}
	return stormjars.BaseDir(r.getenv)
}

// maven resolves storm-core's runtime classpath with stormjars, reusing the
// cached list while every jar on it still exists.
func (r classpathResolver) maven(ctx context.Context) ([]string, error) {
	base, err := r.dir()
	if err != nil {
		return nil, err
	}
	cp, err := stormjars.Resolve(ctx, base, r.logger)
	if errors.Is(err, stormjars.ErrNoMaven) {
		return nil, errors.New("cannot find the storm-core " + StormCoreVersion +
			" client jars: set STORM_CLASSPATH (or --classpath) to them, point STORM_HOME at a Storm release, or install Maven (mvn)")
	}
	return cp, err
}
