package conf

import "fmt"

// CommandLine is a command line after storm.py's parse_config_opts.
type CommandLine struct {
	Overrides []string // each "-c" value, in order (LoadOptions.Overrides)
	ConfFile  string   // the last "--config" file, "" if none (LoadOptions.ConfFile)
	Args      []string // everything else, in order
}

// ParseCommandLine takes every "-c VALUE" and "--config FILE" pair out of
// args, wherever it appears, as storm.py does; a later --config wins. An
// option without its value is an error.
func ParseCommandLine(args []string) (CommandLine, error) {
	var c CommandLine
	for i := 0; i < len(args); i++ {
		switch tok := args[i]; tok {
		case "-c", "--config":
			if i+1 >= len(args) {
				return c, fmt.Errorf("%s needs a value", tok)
			}
			i++
			if tok == "-c" {
				c.Overrides = append(c.Overrides, args[i])
			} else {
				c.ConfFile = args[i]
			}
		default:
			c.Args = append(c.Args, tok)
		}
	}
	return c, nil
}
