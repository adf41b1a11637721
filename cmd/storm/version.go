package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version prints the Storm release Gale is compatible with first, in the
// shape of Storm's VersionInfo ("Storm 1.0.0"), then Gale's own build.
func (a *app) version(ctx context.Context, g globalArgs, args []string) error {
	fmt.Fprintln(a.stdout, "Storm "+StormCoreVersion)
	gale, rev, goVer := "(devel)", "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVer = bi.GoVersion
		if bi.Main.Version != "" {
			gale = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	fmt.Fprintf(a.stdout, "Gale %s", gale)
	if rev != "" {
		fmt.Fprintf(a.stdout, " -r %s", rev)
	}
	fmt.Fprintf(a.stdout, " (%s)\n", goVer)
	return nil
}
