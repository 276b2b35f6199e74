package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// version is stamped in at link time by release builds and the Dockerfile
// (-ldflags "-X main.version=v1.2.3"): a link-time constant, never written
// at run time. Empty, the module's build information stands in.
var version string

// versionString is "v1.2.3 (go1.26.8)", or for a build from a checkout
// "devel 0a6cfb0 (go1.26.8)", with "+dirty" when the tree had changes.
func versionString() string {
	v := version
	rev, dirty := "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "devel"
		if rev != "" {
			v += " " + rev[:min(len(rev), 7)]
			if dirty {
				v += "+dirty"
			}
		}
	}
	return v + " (" + runtime.Version() + ")"
}

func (m *Main) versionCmd(args []string) error {
	if len(args) > 0 {
		return &usageError{"version takes no arguments"}
	}
	fmt.Fprintln(m.Stdout, "parley "+versionString())
	return nil
}

// healthcheck is `parley healthcheck`: it asks the local `parley serve`
// whether it is alive (/healthz, or with --ready /readyz) and exits 0 when
// it is, 1 when not. It exists for images without curl or wget, such as
// the distroless one of deploy/Dockerfile (HEALTHCHECK).
func (m *Main) healthcheck(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("healthcheck", &c)
	var addr string
	fs.StringVar(&addr, "addr", "", "the address parley serve listens on; default :$PORT, else :8080")
	fs.Env("addr", "PARLEY_ADDR")
	ready := fs.Bool("ready", false, "ask /readyz (ready for traffic) instead of /healthz (alive)")
	timeout := 3 * time.Second
	fs.DurationVar(&timeout, "timeout", timeout, "give up after this long")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{"healthcheck takes no arguments"}
	}
	url := "http://" + dialAddr(serveAddr(addr, m.Getenv)) + "/healthz"
	if *ready {
		url = strings.TrimSuffix(url, "/healthz") + "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s: %s: %s", url, resp.Status, strings.Join(strings.Fields(string(body)), " "))
	}
	fmt.Fprint(m.Stdout, string(body))
	return nil
}

// serveAddr is the address serve listens on: --addr (PARLEY_ADDR), else
// :$PORT (the variable container platforms set), else :8080.
func serveAddr(addr string, getenv func(string) string) string {
	if addr != "" {
		return addr
	}
	if port := getenv("PORT"); port != "" {
		return ":" + port
	}
	return ":8080"
}

// dialAddr turns a listen address into one to dial: no host, or a
// wildcard one, is the loopback.
func dialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
