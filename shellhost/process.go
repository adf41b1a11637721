package shellhost

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/galeproject/gale/compat/multilang"
)

// ErrHeartbeatTimeout is wrapped by the fatal error of a child that said
// nothing for the timeout.
var ErrHeartbeatTimeout = errors.New("subprocess heartbeat timeout")

// ErrExited is wrapped by the fatal error of a child that exited (or
// closed its stdout).
var ErrExited = errors.New("subprocess exited")

// ErrClosed is returned by calls after Close.
var ErrClosed = errors.New("shell component closed")

// FatalError says why a subprocess is dead. Its message follows Storm's
// "pid:…, name:… exitCode:…, errorString:…" process information.
type FatalError struct {
	Pid       int
	Component string
	Command   []string
	// ExitCode is the child's exit status, or -1 if it was still running
	// (or was killed by a signal) when the error happened.
	ExitCode int
	// Stderr is the tail of what the child wrote to stderr.
	Stderr string
	Err    error
}

func (e *FatalError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "shell component %s died (command %q, pid:%d, exitCode:%d): %v", e.Component, e.Command, e.Pid, e.ExitCode, e.Err)
	if s := strings.TrimSpace(e.Stderr); s != "" {
		fmt.Fprintf(&b, "; stderr: %s", s)
	}
	return b.String()
}

func (e *FatalError) Unwrap() error { return e.Err }

// stderrTail is how much of the child's stderr errors quote.
const stderrTail = 4 << 10

// process is a started child past its handshake.
type process struct {
	cmd     *exec.Cmd
	command []string
	pid     int
	pidDir  string
	stdin   io.WriteCloser
	stdout  *os.File
	stderrR *os.File
	w       *multilang.Writer // owned by one writer goroutine at a time
	r       *multilang.Reader // owned by the reader goroutine
	log     *slog.Logger
	comp    string

	exited     chan struct{} // closed when Wait returned
	waitErr    error         // set before exited closes
	stderrDone chan struct{} // closed when stderr is read to its end

	mu   sync.Mutex
	tail []byte // last stderrTail bytes of stderr
}

// start runs the child and performs the handshake, within s.timeout and
// ctx. On error nothing is left running.
func start(ctx context.Context, cfg *Config, s settings) (*process, error) {
	path := cfg.Command[0]
	if !strings.Contains(path, "/") {
		lp, err := exec.LookPath(path)
		if err != nil {
			return nil, fmt.Errorf("shellhost: cannot run %q: %w", cfg.Command, err)
		}
		path = lp
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(cfg.Dir, path)
	}
	cmd := &exec.Cmd{Path: path, Args: cfg.Command, Dir: cfg.Dir, Env: environment(cfg.Env)}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	// Own pipes for stdout and stderr: Wait must not close them under the
	// readers (the last output of a dying child would be lost).
	outR, outW, err := os.Pipe()
	if err != nil {
		stdin.Close()
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		stdin.Close()
		outR.Close()
		outW.Close()
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	if cfg.PidDir != "" {
		err = os.MkdirAll(cfg.PidDir, 0o755)
	}
	if err == nil {
		err = cmd.Start()
	}
	outW.Close()
	errW.Close()
	if err != nil {
		stdin.Close()
		outR.Close()
		errR.Close()
		return nil, fmt.Errorf("shellhost: error when launching multilang subprocess %q in %s: %w", cfg.Command, cfg.Dir, err)
	}
	p := &process{
		cmd: cmd, command: cfg.Command, pidDir: cfg.PidDir, stdin: stdin, stdout: outR, stderrR: errR,
		w: multilang.NewWriter(stdin), r: multilang.NewReader(outR, s.maxMessage),
		log: s.logger.With("component", s.component, "task", s.task), comp: s.component,
		exited: make(chan struct{}), stderrDone: make(chan struct{}),
	}
	go p.readStderr(errR)
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()

	if err := p.handshake(ctx, cfg, s); err != nil {
		p.kill(s.killGrace)
		return nil, p.fatal(err)
	}
	p.log.Info("launched subprocess", "pid", p.pid, "command", cfg.Command, "dir", cfg.Dir)
	return p, nil
}

func (p *process) handshake(ctx context.Context, cfg *Config, s settings) error {
	hs := &multilang.Handshake{PidDir: cfg.PidDir, Conf: cfg.Conf, Context: cfg.Context}
	type reply struct {
		pid int64
		err error
	}
	done := make(chan reply, 1)
	go func() {
		if err := p.w.Write(hs); err != nil {
			done <- reply{err: fmt.Errorf("write handshake: %w", err)}
			return
		}
		v, err := p.r.Read()
		if err != nil {
			done <- reply{err: fmt.Errorf("read handshake reply: %w", p.readError(err))}
			return
		}
		pid, err := multilang.ParsePid(v)
		done <- reply{pid, err}
	}()
	timer := time.NewTimer(s.handshake)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return r.err
		}
		p.pid = int(r.pid)
		return nil
	case <-timer.C:
		return fmt.Errorf("no handshake reply within %s: %w", s.handshake, ErrHeartbeatTimeout)
	case <-ctx.Done():
		return fmt.Errorf("handshake: %w", ctx.Err())
	}
}

// readStderr logs the child's stderr line by line and keeps its tail.
func (p *process) readStderr(r io.Reader) {
	defer close(p.stderrDone)
	br := bufio.NewReaderSize(r, 16<<10)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			p.mu.Lock()
			p.tail = append(p.tail, line...)
			if len(p.tail) > stderrTail {
				p.tail = append(p.tail[:0], p.tail[len(p.tail)-stderrTail:]...)
			}
			p.mu.Unlock()
			p.log.Info("ShellLog stderr", "line", strings.TrimRight(string(line), "\r\n"))
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
	}
}

func (p *process) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return string(p.tail)
}

// exitCode returns the exit status, or -1 while running or after a signal.
func (p *process) exitCode() int {
	select {
	case <-p.exited:
		if st := p.cmd.ProcessState; st != nil {
			return st.ExitCode()
		}
	default:
	}
	return -1
}

// fatal wraps err with the process information.
func (p *process) fatal(err error) *FatalError {
	var fe *FatalError
	if errors.As(err, &fe) {
		return fe
	}
	select {
	case <-p.exited:
		// Let the stderr reader take the child's last words.
		select {
		case <-p.stderrDone:
		case <-time.After(200 * time.Millisecond):
		}
	default:
	}
	return &FatalError{Pid: p.pid, Component: p.comp, Command: p.command, ExitCode: p.exitCode(), Stderr: p.stderr(), Err: err}
}

// readError turns the end of the child's stdout into ErrExited with the
// exit status; other read errors pass through.
func (p *process) readError(err error) error {
	if errors.Is(err, multilang.ErrPipeClosed) || errors.Is(err, os.ErrClosed) {
		return p.exitError(err)
	}
	return err
}

// writeError explains a failed write to the child: its exit, if it exits
// within a moment, else the write error.
func (p *process) writeError(err error) error {
	select {
	case <-p.exited:
		return fmt.Errorf("write to subprocess: %w", p.exitError(err))
	case <-time.After(time.Second):
		return fmt.Errorf("write to subprocess: %w", err)
	}
}

// exitError describes the end of the child's stdout: the exit status if the
// child exits within a moment.
func (p *process) exitError(readErr error) error {
	select {
	case <-p.exited:
	case <-time.After(time.Second):
		return fmt.Errorf("%w: stdout closed while the process runs: %v", ErrExited, readErr)
	}
	st := p.cmd.ProcessState
	if st == nil {
		return fmt.Errorf("%w: %v", ErrExited, readErr)
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return fmt.Errorf("%w: killed by signal %v", ErrExited, ws.Signal())
	}
	return fmt.Errorf("%w with code %d", ErrExited, st.ExitCode())
}

// kill ends the child: stdin closed, SIGTERM (Storm's Process.destroy),
// SIGKILL after grace, then its pid file removed.
func (p *process) kill(grace time.Duration) {
	p.stdin.Close()
	select {
	case <-p.exited:
	default:
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(grace):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	}
	// Descendants may hold the output pipes open: give stderr a moment to
	// drain, then close both so no reader blocks forever.
	select {
	case <-p.stderrDone:
	case <-time.After(100 * time.Millisecond):
	}
	p.stdout.Close()
	p.stderrR.Close()
	if p.pidDir != "" && p.pid > 0 {
		_ = os.Remove(filepath.Join(p.pidDir, strconv.Itoa(p.pid)))
	}
}

// logShell logs a child's log command as ShellBolt does.
func (p *process) logShell(level multilang.LogLevel, msg string) string {
	text := fmt.Sprintf("ShellLog pid:%d, name:%s %s", p.pid, p.comp, msg)
	var l slog.Level
	switch level {
	case multilang.LogTrace:
		l = slog.LevelDebug - 4
	case multilang.LogDebug:
		l = slog.LevelDebug
	case multilang.LogWarn:
		l = slog.LevelWarn
	case multilang.LogError:
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	p.log.Log(context.Background(), l, text)
	return text
}
