package bot

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The subset of Kubernetes objects the checks below read.
type k8sObject struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec struct {
		Replicas    *int   `yaml:"replicas"`
		ServiceName string `yaml:"serviceName"`
		Selector    struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
		VolumeClaimTemplates []struct {
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
		} `yaml:"volumeClaimTemplates"`
		// Service: selector is a plain map; HPA: scaleTargetRef.
		ServiceSelector map[string]string `yaml:"-"`
		Ports           []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort any    `yaml:"targetPort"`
		} `yaml:"ports"`
		Rules []struct {
			HTTP struct {
				Paths []struct {
					Path    string `yaml:"path"`
					Backend struct {
						Service struct {
							Name string `yaml:"name"`
							Port struct {
								Name string `yaml:"name"`
							} `yaml:"port"`
						} `yaml:"service"`
					} `yaml:"backend"`
				} `yaml:"paths"`
			} `yaml:"http"`
		} `yaml:"rules"`
		ScaleTargetRef struct {
			Kind string `yaml:"kind"`
			Name string `yaml:"name"`
		} `yaml:"scaleTargetRef"`
		MinReplicas int `yaml:"minReplicas"`
		MaxReplicas int `yaml:"maxReplicas"`
	} `yaml:"spec"`
	Data map[string]string `yaml:"data"`
}

type podSpec struct {
	TerminationGracePeriodSeconds *int `yaml:"terminationGracePeriodSeconds"`
	SecurityContext               struct {
		RunAsNonRoot bool `yaml:"runAsNonRoot"`
		RunAsUser    int  `yaml:"runAsUser"`
	} `yaml:"securityContext"`
	Containers []container `yaml:"containers"`
	Volumes    []struct {
		Name string `yaml:"name"`
	} `yaml:"volumes"`
}

type container struct {
	Name  string `yaml:"name"`
	Image string `yaml:"image"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Env []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name string `yaml:"name"`
				Key  string `yaml:"key"`
			} `yaml:"secretKeyRef"`
			FieldRef *struct {
				FieldPath string `yaml:"fieldPath"`
			} `yaml:"fieldRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
	ReadinessProbe *probe `yaml:"readinessProbe"`
	StartupProbe   *probe `yaml:"startupProbe"`
	Resources      struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
	} `yaml:"securityContext"`
	VolumeMounts []struct {
		Name string `yaml:"name"`
	} `yaml:"volumeMounts"`
}

type probe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"`
	} `yaml:"httpGet"`
}

// platformSecrets are the secrets' usual names; every one must be wired.
var platformSecrets = []string{
	"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN",
	"DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN", "DISCORD_APP_ID",
}

func loadManifests(t *testing.T) map[string][]k8sObject {
	t.Helper()
	files, err := filepath.Glob("../deploy/k8s/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/k8s: %v", err)
	}
	byKind := map[string][]k8sObject{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		for i := 0; ; i++ {
			var raw map[string]any
			err := dec.Decode(&raw)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: document %d: %v", f, i, err)
			}
			if raw == nil {
				continue
			}
			b, _ := yaml.Marshal(raw)
			var obj k8sObject
			if err := yaml.Unmarshal(b, &obj); err != nil {
				t.Fatalf("%s: document %d: %v", f, i, err)
			}
			if obj.Kind == "Service" {
				if spec, ok := raw["spec"].(map[string]any); ok {
					if sel, ok := spec["selector"].(map[string]any); ok {
						obj.Spec.ServiceSelector = map[string]string{}
						for k, v := range sel {
							obj.Spec.ServiceSelector[k], _ = v.(string)
						}
					}
				}
			}
			if obj.APIVersion == "" || obj.Kind == "" || obj.Metadata.Name == "" {
				t.Errorf("%s: document %d lacks apiVersion, kind or metadata.name", f, i)
			}
			byKind[obj.Kind] = append(byKind[obj.Kind], obj)
		}
	}
	return byKind
}

func TestManifestsKinds(t *testing.T) {
	byKind := loadManifests(t)
	allowed := map[string]string{
		"Deployment": "apps/v1", "StatefulSet": "apps/v1", "Service": "v1", "ConfigMap": "v1",
		"HorizontalPodAutoscaler": "autoscaling/v2", "PodDisruptionBudget": "policy/v1",
		"Ingress": "networking.k8s.io/v1",
	}
	for kind, objs := range byKind {
		want, ok := allowed[kind]
		if !ok {
			t.Errorf("unexpected kind %s", kind)
			continue
		}
		for _, o := range objs {
			if o.APIVersion != want {
				t.Errorf("%s %s: apiVersion %s, want %s", kind, o.Metadata.Name, o.APIVersion, want)
			}
		}
	}
	for _, kind := range []string{"Deployment", "Service", "HorizontalPodAutoscaler", "StatefulSet", "ConfigMap"} {
		if len(byKind[kind]) == 0 {
			t.Errorf("no %s in deploy/k8s", kind)
		}
	}
	if len(byKind["Secret"]) > 0 {
		t.Error("a Secret with placeholder values would overwrite the real one on kubectl apply")
	}
}

func TestManifestsWorkloads(t *testing.T) {
	byKind := loadManifests(t)
	workloads := append(slices.Clone(byKind["Deployment"]), byKind["StatefulSet"]...)
	for _, w := range workloads {
		name := w.Kind + " " + w.Metadata.Name
		pod := w.Spec.Template.Spec
		for k, v := range w.Spec.Selector.MatchLabels {
			if w.Spec.Template.Metadata.Labels[k] != v {
				t.Errorf("%s: selector %s=%s does not match the pod labels", name, k, v)
			}
		}
		if !pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.RunAsUser == 0 {
			t.Errorf("%s: pods must run as non-root", name)
		}
		volumes := map[string]bool{}
		for _, v := range pod.Volumes {
			volumes[v.Name] = true
		}
		for _, v := range w.Spec.VolumeClaimTemplates {
			volumes[v.Metadata.Name] = true
		}
		if len(pod.Containers) == 0 {
			t.Fatalf("%s: no containers", name)
		}
		for _, c := range pod.Containers {
			cname := name + "/" + c.Name
			ports := map[string]bool{}
			for _, p := range c.Ports {
				ports[p.Name] = true
				ports[strconv.Itoa(p.ContainerPort)] = true
			}
			for _, pr := range []struct {
				kind string
				p    *probe
				path string
			}{
				{"liveness", c.LivenessProbe, "/healthz"},
				{"readiness", c.ReadinessProbe, "/readyz"},
			} {
				if pr.p == nil || pr.p.HTTPGet == nil {
					t.Errorf("%s: no HTTP %s probe", cname, pr.kind)
					continue
				}
				if pr.p.HTTPGet.Path != pr.path {
					t.Errorf("%s: %s probe on %s, want %s", cname, pr.kind, pr.p.HTTPGet.Path, pr.path)
				}
				if port := toString(pr.p.HTTPGet.Port); !ports[port] {
					t.Errorf("%s: %s probe on port %q, which the container does not expose", cname, pr.kind, port)
				}
			}
			if c.StartupProbe != nil && c.StartupProbe.HTTPGet != nil && c.StartupProbe.HTTPGet.Path != "/healthz" {
				t.Errorf("%s: startup probe on %s, want /healthz", cname, c.StartupProbe.HTTPGet.Path)
			}
			for _, res := range []string{"cpu", "memory"} {
				if c.Resources.Requests[res] == "" || c.Resources.Limits[res] == "" {
					t.Errorf("%s: %s request and limit must be set", cname, res)
				}
			}
			if ape := c.SecurityContext.AllowPrivilegeEscalation; ape == nil || *ape || !c.SecurityContext.ReadOnlyRootFilesystem {
				t.Errorf("%s: want allowPrivilegeEscalation false and a read-only root", cname)
			}
			for _, m := range c.VolumeMounts {
				if !volumes[m.Name] {
					t.Errorf("%s: mounts unknown volume %s", cname, m.Name)
				}
			}
			for _, e := range c.Env {
				if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
					if slices.Contains(platformSecrets, e.Name) || strings.Contains(e.Name, "SALT") {
						t.Errorf("%s: %s given as a literal, want a secret reference", cname, e.Name)
					}
					continue
				}
				ref := e.ValueFrom.SecretKeyRef
				if ref.Name != "parley" || ref.Key != e.Name {
					t.Errorf("%s: %s from secret %s key %s, want secret parley key %s", cname, e.Name, ref.Name, ref.Key, e.Name)
				}
			}
		}
	}
}

// Kubernetes kills a pod terminationGracePeriodSeconds after SIGTERM: the
// drain and the graceful shutdown must fit.
func TestManifestsGracePeriod(t *testing.T) {
	byKind := loadManifests(t)
	for _, w := range append(slices.Clone(byKind["Deployment"]), byKind["StatefulSet"]...) {
		grace := 30 * time.Second
		if g := w.Spec.Template.Spec.TerminationGracePeriodSeconds; g != nil {
			grace = time.Duration(*g) * time.Second
		}
		env := envOf(w.Spec.Template.Spec.Containers[0])
		total := 10 * time.Second // --shutdown-timeout's default
		for _, k := range []string{"PARLEY_DRAIN_DELAY", "PARLEY_SHUTDOWN_TIMEOUT"} {
			if v, ok := env[k]; ok {
				d, err := time.ParseDuration(v)
				if err != nil {
					t.Errorf("%s %s: %s=%q: %v", w.Kind, w.Metadata.Name, k, v, err)
					continue
				}
				if k == "PARLEY_SHUTDOWN_TIMEOUT" {
					total -= 10 * time.Second
				}
				total += d
			}
		}
		if total >= grace {
			t.Errorf("%s %s: drain + shutdown %s does not fit in the %s grace period", w.Kind, w.Metadata.Name, total, grace)
		}
	}
}

func envOf(c container) map[string]string {
	env := map[string]string{}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil:
			env[e.Name] = "secret:" + e.ValueFrom.SecretKeyRef.Key
		case e.ValueFrom != nil && e.ValueFrom.FieldRef != nil:
			env[e.Name] = "field:" + e.ValueFrom.FieldRef.FieldPath
		default:
			env[e.Name] = e.Value
		}
	}
	return env
}

func TestManifestsHTTPMode(t *testing.T) {
	byKind := loadManifests(t)
	deps := map[string]k8sObject{}
	for _, d := range byKind["Deployment"] {
		deps[d.Metadata.Name] = d
		env := envOf(d.Spec.Template.Spec.Containers[0])
		for _, s := range platformSecrets {
			if env[s] != "secret:"+s {
				t.Errorf("Deployment %s: %s not taken from the secret", d.Metadata.Name, s)
			}
		}
	}
	for _, h := range byKind["HorizontalPodAutoscaler"] {
		ref := h.Spec.ScaleTargetRef
		if _, ok := deps[ref.Name]; ref.Kind != "Deployment" || !ok {
			t.Errorf("HPA %s scales %s %s, which is not a Deployment here", h.Metadata.Name, ref.Kind, ref.Name)
		}
		if h.Spec.MinReplicas < 1 || h.Spec.MaxReplicas < h.Spec.MinReplicas {
			t.Errorf("HPA %s: replicas %d..%d", h.Metadata.Name, h.Spec.MinReplicas, h.Spec.MaxReplicas)
		}
		// Socket Mode: at most 10 connections per Slack app.
		if h.Spec.MaxReplicas > 10 {
			t.Errorf("HPA %s: maxReplicas %d > 10 Socket Mode connections", h.Metadata.Name, h.Spec.MaxReplicas)
		}
	}
	// Every Service selects some workload's pods, on a port it exposes.
	workloads := append(slices.Clone(byKind["Deployment"]), byKind["StatefulSet"]...)
	for _, s := range byKind["Service"] {
		var match *k8sObject
		for i, w := range workloads {
			if len(s.Spec.ServiceSelector) > 0 && subset(s.Spec.ServiceSelector, w.Spec.Template.Metadata.Labels) {
				match = &workloads[i]
			}
		}
		if match == nil {
			t.Errorf("Service %s selects no workload's pods", s.Metadata.Name)
			continue
		}
		for _, p := range s.Spec.Ports {
			found := false
			for _, cp := range match.Spec.Template.Spec.Containers[0].Ports {
				if tp := toString(p.TargetPort); tp == cp.Name || tp == strconv.Itoa(cp.ContainerPort) {
					found = true
				}
			}
			if !found {
				t.Errorf("Service %s: targetPort %v not exposed by %s", s.Metadata.Name, p.TargetPort, match.Metadata.Name)
			}
		}
	}
}

func TestManifestsGatewayShards(t *testing.T) {
	byKind := loadManifests(t)
	services := map[string]bool{}
	for _, s := range byKind["Service"] {
		services[s.Metadata.Name] = true
	}
	for _, s := range byKind["StatefulSet"] {
		if !services[s.Spec.ServiceName] {
			t.Errorf("StatefulSet %s: serviceName %q is no Service here", s.Metadata.Name, s.Spec.ServiceName)
		}
		env := envOf(s.Spec.Template.Spec.Containers[0])
		if env["PARLEY_DISCORD_GATEWAY"] != "true" {
			t.Errorf("StatefulSet %s: gateway not enabled", s.Metadata.Name)
		}
		if env["PARLEY_DISCORD_SHARD_ID"] != "field:metadata.name" {
			t.Errorf("StatefulSet %s: shard id %q, want the pod name", s.Metadata.Name, env["PARLEY_DISCORD_SHARD_ID"])
		}
		if env["DISCORD_BOT_TOKEN"] != "secret:DISCORD_BOT_TOKEN" {
			t.Errorf("StatefulSet %s: no bot token", s.Metadata.Name)
		}
		count, err := strconv.Atoi(env["PARLEY_DISCORD_SHARD_COUNT"])
		if err != nil || s.Spec.Replicas == nil || count != *s.Spec.Replicas {
			t.Errorf("StatefulSet %s: shard count %q must equal replicas", s.Metadata.Name, env["PARLEY_DISCORD_SHARD_COUNT"])
			continue
		}
		// Every pod name the StatefulSet makes parses to its own shard.
		for i := range count {
			pod := s.Metadata.Name + "-" + strconv.Itoa(i)
			id, err := ShardFromPodName(pod)
			if err != nil || id != i || CheckShard(id, count) != nil {
				t.Errorf("pod %s: shard %d, %v; want %d", pod, id, err, i)
			}
		}
	}
}

// The ingress exposes the platforms' endpoints and nothing else: metrics and
// health stay inside the cluster.
func TestManifestsIngress(t *testing.T) {
	byKind := loadManifests(t)
	services := map[string]k8sObject{}
	for _, s := range byKind["Service"] {
		services[s.Metadata.Name] = s
	}
	for _, ing := range byKind["Ingress"] {
		for _, r := range ing.Spec.Rules {
			for _, p := range r.HTTP.Paths {
				if p.Path != "/slack/" && p.Path != "/discord/" {
					t.Errorf("Ingress %s routes %q: only /slack/ and /discord/ may be public", ing.Metadata.Name, p.Path)
				}
				svc, ok := services[p.Backend.Service.Name]
				if !ok {
					t.Errorf("Ingress %s: backend %s is no Service here", ing.Metadata.Name, p.Backend.Service.Name)
					continue
				}
				found := false
				for _, sp := range svc.Spec.Ports {
					found = found || sp.Name == p.Backend.Service.Port.Name
				}
				if !found {
					t.Errorf("Ingress %s: Service %s has no port %q", ing.Metadata.Name, svc.Metadata.Name, p.Backend.Service.Port.Name)
				}
			}
		}
	}
}

func TestManifestConfigMapParses(t *testing.T) {
	for _, cm := range loadManifests(t)["ConfigMap"] {
		for name, text := range cm.Data {
			if strings.HasSuffix(name, ".json") {
				if _, err := ParseChannelConfig(strings.NewReader(text)); err != nil {
					t.Errorf("ConfigMap %s %s: %v", cm.Metadata.Name, name, err)
				}
			}
		}
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../deploy/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(froms) < 2 {
		t.Fatalf("want a multi-stage build, got %d stages", len(froms))
	}
	final := froms[len(froms)-1][1]
	if !strings.Contains(final, "distroless/static") && final != "scratch" {
		t.Errorf("final image %s: want distroless static or scratch", final)
	}
	for _, want := range []string{"CGO_ENABLED=0", "./cmd/parley"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(users) == 0 {
		t.Fatal("no USER: the image would run as root")
	}
	if u := users[len(users)-1][1]; u == "root" || u == "0" || strings.HasPrefix(u, "0:") {
		t.Errorf("USER %s is root", u)
	}
}

func TestSystemdUnit(t *testing.T) {
	b, err := os.ReadFile("../deploy/parley.service")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			keys[k] = v
		}
	}
	for k, want := range map[string]string{
		"DynamicUser": "yes", "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
		"PrivateTmp": "yes", "PrivateDevices": "yes", "RestrictSUIDSGID": "yes", "CapabilityBoundingSet": "",
		"StateDirectory": "parley", "KillSignal": "SIGTERM",
	} {
		if got, ok := keys[k]; !ok || got != want {
			t.Errorf("parley.service: %s=%q, want %q", k, got, want)
		}
	}
	if !strings.HasSuffix(keys["ExecStart"], "parley serve") {
		t.Errorf("ExecStart=%q", keys["ExecStart"])
	}
}

// systemd's own checks, where systemd-analyze is installed: the unit parses
// and its exposure score stays low.
func TestSystemdUnitAnalyze(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("no systemd-analyze")
	}
	b, err := os.ReadFile("../deploy/parley.service")
	if err != nil {
		t.Fatal(err)
	}
	// The binary and the secrets file are not installed here.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	unit := strings.ReplaceAll(string(b), "/usr/local/bin/parley", self)
	unit = strings.ReplaceAll(unit, "EnvironmentFile=/", "EnvironmentFile=-/")
	path := filepath.Join(t.TempDir(), "parley.service")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(analyze, "security", "--offline=true", path).CombinedOutput()
	if err != nil {
		t.Skipf("systemd-analyze security unavailable: %v", err)
	}
	m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2.0 {
		t.Errorf("exposure level %s, want at most 2.0 (hardening lost?)", m[1])
	}
}

func TestCheckStaticScript(t *testing.T) {
	info, err := os.Stat("../deploy/check-static.sh")
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode()&0o111 == 0 {
		t.Error("deploy/check-static.sh is not executable")
	}
}

func subset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	}
	return ""
}
