package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this test binary as the parley program itself
// (PARLEY_TEST_AS_MAIN holds the arguments, as JSON), so that real signals
// reach the real main.
func TestMain(m *testing.M) {
	if args := os.Getenv("PARLEY_TEST_AS_MAIN"); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			panic(err)
		}
		os.Args = append([]string{"parley"}, a...)
		main()
		return
	}
	os.Exit(m.Run())
}

// process is parley run as a program, its log read line by line.
type process struct {
	cmd   *exec.Cmd
	lines chan map[string]any
	exit  chan error
}

func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	a, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PARLEY_TEST_AS_MAIN="+string(a), "PARLEY_LOG_FORMAT=json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, lines: make(chan map[string]any, 256), exit: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) != nil {
				line = map[string]any{"msg": sc.Text()}
			}
			p.lines <- line
		}
		close(p.lines)
		p.exit <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
	})
	return p
}

// await returns the first log line whose message contains msg, failing if
// the process ends or nothing comes.
func (p *process) await(t *testing.T, msg string) map[string]any {
	t.Helper()
	return p.awaitAll(t, msg)[msg]
}

// awaitAll waits for log lines containing each of msgs, in any order.
func (p *process) awaitAll(t *testing.T, msgs ...string) map[string]map[string]any {
	t.Helper()
	found := map[string]map[string]any{}
	timeout := time.After(30 * time.Second)
	for len(found) < len(msgs) {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("parley ended (%v) before logging %q", <-p.exit, msgs)
			}
			m, _ := line["msg"].(string)
			for _, want := range msgs {
				if _, ok := found[want]; !ok && strings.Contains(m, want) {
					found[want] = line
					break
				}
			}
		case <-timeout:
			t.Fatalf("not all of %q in the log", msgs)
		}
	}
	return found
}

func (p *process) signal(t *testing.T, s syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(s); err != nil {
		t.Fatal(err)
	}
}

// Real signals to the real program: SIGHUP during start-up (it used to kill
// the process, status 129, with no log line) waits and then rescans; SIGHUP
// while serving rescans; SIGTERM stops it cleanly, status 0.
func TestSignalsReachTheProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program")
	}
	if signal.Ignored(syscall.SIGHUP) {
		// Under nohup the program inherits SIGHUP ignored and, as it
		// should, keeps it so: there is nothing to test.
		t.Skip("SIGHUP is ignored in this process (nohup?)")
	}
	dir := t.TempDir()
	// Just written: start-up waits a second for it to settle, which is
	// when the SIGHUP is sent.
	os.WriteFile(filepath.Join(dir, "valdoria.txt"), []byte(valdoria), 0o644)
	p := startProcess(t, "serve", "--seeds", dir, "--addr", "127.0.0.1:0")
	p.await(t, "waiting for a file being written")
	p.signal(t, syscall.SIGHUP)
	// The SIGHUP is handled as the server starts, before or after it says
	// it is serving.
	addr, _ := p.awaitAll(t, "serving", "SIGHUP")["serving"]["addr"].(string)
	if code, body := get(t, "http://"+addr+"/readyz"); code != 200 {
		t.Errorf("readyz %d %s", code, body)
	}
	p.signal(t, syscall.SIGHUP)
	p.await(t, "SIGHUP")
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("not serving after SIGHUP: %v", err)
	}
	resp.Body.Close()
	p.signal(t, syscall.SIGTERM)
	p.await(t, "stopped")
	for range p.lines {
	}
	if err := <-p.exit; err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}
