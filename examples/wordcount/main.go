package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"time"

	"github.com/galeproject/gale/storm"
	"github.com/galeproject/gale/storm/cli"
	"github.com/galeproject/gale/stormthrift"
)

//go:embed input.txt
var inputText string

func main() { cli.Main(wordCount(NewTotals())) }

// wordCount is the topology definition; in dev mode the count tasks
// report to totals.
func wordCount(totals *Totals) cli.Topology {
	lines := Lines(inputText)
	app := storm.NewApp()
	app.RegisterSpout("sentences", func() storm.Spout { return &SentenceSpout{lines: lines} })
	app.RegisterBasicBolt("split", func() storm.BasicBolt { return SplitBolt{} })
	app.RegisterBolt("count", func() storm.Bolt { return &CountBolt{totals: totals} })
	return cli.Topology{
		Name:  "word-count",
		App:   app,
		Build: func(storm.Conf) (*stormthrift.StormTopology, storm.Config, error) { return build(app) },
		Dev: func(ctx context.Context, l *cli.Local, stdout io.Writer) error {
			return report(ctx, l, stdout, totals, lines)
		},
	}
}

func build(app *storm.App) (*stormthrift.StormTopology, storm.Config, error) {
	b := storm.NewTopologyBuilder(app)
	b.SetSpout("sentences", "sentences", 2).SetMaxSpoutPending(200)
	b.SetBolt("split", "split", 3).ShuffleGrouping("sentences")
	b.SetBolt("count", "count", 4).FieldsGrouping("split", "word")
	topo, err := b.CreateTopology()
	if err != nil {
		return nil, nil, err
	}
	c := storm.Config{}
	c.SetNumWorkers(2)
	return topo, c, nil
}

// report waits until the totals are exact and prints them (dev mode). With
// wordcount.repeat=0 the input never ends: it prints the totals every few
// seconds until interrupted.
func report(ctx context.Context, l *cli.Local, stdout io.Writer, totals *Totals, lines []string) error {
	repeat := l.Conf.IntOr(confRepeat, 20)
	start := time.Now()
	if repeat <= 0 {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(5 * time.Second):
			}
			var n int64
			for _, c := range totals.Sum() {
				n += c
			}
			fmt.Fprintf(stdout, "%s: %d words counted so far\n", time.Since(start).Round(time.Second), n)
		}
	}
	want := Expected(lines, repeat)
	var words int64
	for _, n := range want {
		words += n
	}
	fmt.Fprintf(stdout, "Counting %d lines × %d = %d words (%d distinct)...\n", len(lines), repeat, words, len(want))
	deadline := time.After(2 * time.Minute)
	for {
		got := totals.Sum()
		if Diff(got, want) == "" {
			fmt.Fprintln(stdout)
			PrintTable(stdout, got)
			fmt.Fprintf(stdout, "\nAll %d words counted in %.1fs; every total is exact (its count in input.txt × %d).\n",
				words, time.Since(start).Seconds(), repeat)
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-deadline:
			return fmt.Errorf("totals not exact after 2 minutes: %s", Diff(got, want))
		case <-time.After(200 * time.Millisecond):
		}
	}
}
