package bot

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"maps"
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
	// Folder is the deploy/k8s folder the object is in; Raw the document.
	Folder     string         `yaml:"-"`
	Raw        map[string]any `yaml:"-"`
	APIVersion string         `yaml:"apiVersion"`
	Kind       string         `yaml:"kind"`
	Metadata   struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec struct {
		Replicas            *int   `yaml:"replicas"`
		ServiceName         string `yaml:"serviceName"`
		PodManagementPolicy string `yaml:"podManagementPolicy"`
		Selector            struct {
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
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
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

// k8sDir holds one folder per way Parley is deployed; `kubectl apply -f` on
// one folder deploys that mode and nothing else.
const k8sDir = "../deploy/k8s"

// loadManifests reads every folder's objects, by kind.
func loadManifests(t *testing.T) map[string][]k8sObject {
	t.Helper()
	byKind := map[string][]k8sObject{}
	for _, objs := range loadFolders(t) {
		for _, o := range objs {
			byKind[o.Kind] = append(byKind[o.Kind], o)
		}
	}
	return byKind
}

// loadFolders reads the objects of each folder of deploy/k8s.
func loadFolders(t *testing.T) map[string][]k8sObject {
	t.Helper()
	entries, err := os.ReadDir(k8sDir)
	if err != nil {
		t.Fatal(err)
	}
	folders := map[string][]k8sObject{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		files, err := filepath.Glob(filepath.Join(k8sDir, e.Name(), "*.yaml"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no manifests in %s: %v", e.Name(), err)
		}
		for _, f := range files {
			folders[e.Name()] = append(folders[e.Name()], loadFile(t, e.Name(), f)...)
		}
	}
	if len(folders) == 0 {
		t.Fatal("no folders in deploy/k8s")
	}
	return folders
}

func loadFile(t *testing.T, folder, f string) []k8sObject {
	t.Helper()
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []k8sObject
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
		obj.Folder, obj.Raw = folder, raw
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
		out = append(out, obj)
	}
	return out
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

// modeOf gives, for each deploy/k8s folder, the way in its workloads
// require (PARLEY_REQUIRE) and the secrets they may read.
func modeOf(folder string) (require string, secrets []string, ok bool) {
	switch folder {
	case "http":
		return "http", []string{"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "DISCORD_PUBLIC_KEY", "DISCORD_APP_ID", "PARLEY_QUERY_LOG_SALT"}, true
	case "slack-socket":
		return "slack-socket", []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "PARLEY_QUERY_LOG_SALT"}, true
	case "discord-gateway":
		return "discord-gateway", []string{"DISCORD_BOT_TOKEN", "DISCORD_APP_ID", "PARLEY_QUERY_LOG_SALT"}, true
	}
	return "", nil, false
}

// Applying one folder deploys one mode: its workloads require that way in
// and read only that mode's secrets, and no folder holds both Discord
// modes (Discord sends interactions to the endpoint when one is set, so a
// gateway beside it receives none). Nothing sits at the top of deploy/k8s,
// where `kubectl apply -f deploy/k8s/` would deploy every mode at once.
func TestManifestFoldersOneModeEach(t *testing.T) {
	if top, _ := filepath.Glob(filepath.Join(k8sDir, "*.yaml")); len(top) > 0 {
		t.Errorf("manifests at the top of deploy/k8s: %v", top)
	}
	for folder, objs := range loadFolders(t) {
		require, allowed, ok := modeOf(folder)
		if !ok {
			t.Errorf("folder %s: no mode known for it", folder)
			continue
		}
		gateway, endpoint := false, false
		for _, w := range objs {
			if w.Kind != "Deployment" && w.Kind != "StatefulSet" {
				continue
			}
			for _, c := range w.Spec.Template.Spec.Containers {
				env := envOf(c)
				if env["PARLEY_REQUIRE"] != require {
					t.Errorf("%s/%s %s: PARLEY_REQUIRE %q, want %q", folder, w.Kind, w.Metadata.Name, env["PARLEY_REQUIRE"], require)
				}
				gateway = gateway || env["PARLEY_DISCORD_GATEWAY"] == "true"
				for name, v := range env {
					if !strings.HasPrefix(v, "secret:") {
						continue
					}
					if !slices.Contains(allowed, name) {
						t.Errorf("%s/%s %s reads %s, which the %s mode has no use for", folder, w.Kind, w.Metadata.Name, name, require)
					}
					endpoint = endpoint || name == "DISCORD_PUBLIC_KEY"
				}
			}
		}
		if gateway && endpoint {
			t.Errorf("folder %s holds both Discord modes: the gateway and DISCORD_PUBLIC_KEY", folder)
		}
	}
}

// Every Secret and ConfigMap key a folder's objects reference is defined in
// that folder or marked optional, so no pod is left waiting on a key that
// a deployment of another mode does not need.
func TestManifestKeysDefinedOrOptional(t *testing.T) {
	for folder, objs := range loadFolders(t) {
		defined := map[string]map[string]bool{} // "Secret/name" -> keys
		for _, o := range objs {
			if o.Kind != "Secret" && o.Kind != "ConfigMap" {
				continue
			}
			keys := map[string]bool{}
			for k := range o.Data {
				keys[k] = true
			}
			for k := range o.StringData {
				keys[k] = true
			}
			defined[o.Kind+"/"+o.Metadata.Name] = keys
		}
		for _, o := range objs {
			for _, ref := range keyRefs(o.Raw) {
				where := folder + "/" + o.Kind + " " + o.Metadata.Name
				if ref.optional {
					continue
				}
				keys, ok := defined[ref.kind+"/"+ref.name]
				switch {
				case !ok:
					t.Errorf("%s: %s %q is not in the folder and the reference is not optional", where, ref.kind, ref.name)
				case ref.key != "" && !keys[ref.key]:
					t.Errorf("%s: key %q of %s %q is not defined and the reference is not optional", where, ref.key, ref.kind, ref.name)
				}
			}
		}
	}
}

type keyRef struct {
	kind, name, key string
	optional        bool
}

// keyRefs finds every reference to a Secret's or ConfigMap's keys in a
// document: secretKeyRef, configMapKeyRef, envFrom and volumes (with or
// without items).
func keyRefs(doc any) []keyRef {
	var out []keyRef
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				m, _ := child.(map[string]any)
				optional, _ := m["optional"].(bool)
				switch k {
				case "secretKeyRef", "configMapKeyRef":
					kind := "Secret"
					if k == "configMapKeyRef" {
						kind = "ConfigMap"
					}
					name, _ := m["name"].(string)
					key, _ := m["key"].(string)
					out = append(out, keyRef{kind, name, key, optional})
					continue
				case "secretRef", "configMap", "configMapRef", "secret":
					kind := "Secret"
					if strings.HasPrefix(k, "configMap") {
						kind = "ConfigMap"
					}
					name, _ := m["name"].(string)
					if name == "" {
						name, _ = m["secretName"].(string)
					}
					if name == "" {
						break
					}
					items, _ := m["items"].([]any)
					if len(items) == 0 {
						out = append(out, keyRef{kind, name, "", optional})
					}
					for _, it := range items {
						key, _ := it.(map[string]any)["key"].(string)
						out = append(out, keyRef{kind, name, key, optional})
					}
					continue
				}
				walk(child)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	return out
}

// A ConfigMap that two folders define is the same in both: applying both
// must not make them fight over it.
func TestManifestsSharedConfigMapsAgree(t *testing.T) {
	seen := map[string]k8sObject{}
	for _, cm := range loadManifests(t)["ConfigMap"] {
		if prev, ok := seen[cm.Metadata.Name]; ok && !maps.Equal(prev.Data, cm.Data) {
			t.Errorf("ConfigMap %s differs between %s and %s", cm.Metadata.Name, prev.Folder, cm.Folder)
		}
		seen[cm.Metadata.Name] = cm
	}
}

func TestManifestsHTTPMode(t *testing.T) {
	byKind := loadManifests(t)
	deps := map[string]k8sObject{}
	for _, d := range byKind["Deployment"] {
		deps[d.Metadata.Name] = d
	}
	for _, h := range byKind["HorizontalPodAutoscaler"] {
		ref := h.Spec.ScaleTargetRef
		d, ok := deps[ref.Name]
		if ref.Kind != "Deployment" || !ok || d.Folder != h.Folder {
			t.Errorf("HPA %s scales %s %s, which is not a Deployment of its folder", h.Metadata.Name, ref.Kind, ref.Name)
			continue
		}
		if h.Spec.MinReplicas < 1 || h.Spec.MaxReplicas < h.Spec.MinReplicas {
			t.Errorf("HPA %s: replicas %d..%d", h.Metadata.Name, h.Spec.MinReplicas, h.Spec.MaxReplicas)
		}
		// Socket Mode: at most 10 connections per Slack app.
		if envOf(d.Spec.Template.Spec.Containers[0])["SLACK_APP_TOKEN"] != "" && h.Spec.MaxReplicas > 10 {
			t.Errorf("HPA %s: maxReplicas %d > 10 Socket Mode connections", h.Metadata.Name, h.Spec.MaxReplicas)
		}
	}
	for _, d := range byKind["Deployment"] {
		if envOf(d.Spec.Template.Spec.Containers[0])["SLACK_APP_TOKEN"] != "" && (d.Spec.Replicas == nil || *d.Spec.Replicas > 10) {
			t.Errorf("Deployment %s opens Socket Mode connections from more than 10 replicas", d.Metadata.Name)
		}
	}
	// Every Service selects some workload's pods in its folder, on a port
	// it exposes.
	workloads := append(slices.Clone(byKind["Deployment"]), byKind["StatefulSet"]...)
	for _, s := range byKind["Service"] {
		var match *k8sObject
		for i, w := range workloads {
			if w.Folder == s.Folder && len(s.Spec.ServiceSelector) > 0 && subset(s.Spec.ServiceSelector, w.Spec.Template.Metadata.Labels) {
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
	// Every workload is covered by a PodDisruptionBudget of its folder.
	for _, w := range workloads {
		covered := false
		for _, pdb := range byKind["PodDisruptionBudget"] {
			covered = covered || (pdb.Folder == w.Folder && subset(pdb.Spec.Selector.MatchLabels, w.Spec.Template.Metadata.Labels))
		}
		if !covered {
			t.Errorf("%s %s: no PodDisruptionBudget", w.Kind, w.Metadata.Name)
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
		// Shards start one after the other (OrderedReady, the default), each
		// once the previous is ready: identifies stay within Discord's
		// session start limit.
		if p := s.Spec.PodManagementPolicy; p != "" && p != "OrderedReady" {
			t.Errorf("StatefulSet %s: podManagementPolicy %s, want OrderedReady", s.Metadata.Name, p)
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
	for _, want := range []string{"CGO_ENABLED=0", "./cmd/parley", "-X main.version=${VERSION}", "ENV GOTOOLCHAIN=local", `CMD ["/usr/local/bin/parley", "healthcheck"]`} {
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
	// PARLEY_ADDR in the image would beat the PORT a platform sets.
	if regexp.MustCompile(`(?m)^ENV\s.*PARLEY_ADDR`).MatchString(df) {
		t.Error("the image sets PARLEY_ADDR, which overrides PORT")
	}
	// The build stage's Go is go.mod's.
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go\s+(\S+)`).FindSubmatch(mod)
	arg := regexp.MustCompile(`(?m)^ARG GO_VERSION=(\S+)`).FindStringSubmatch(df)
	if goLine == nil || arg == nil || arg[1] != string(goLine[1]) || froms[0][1] != "golang:${GO_VERSION}" {
		t.Errorf("build stage %s with GO_VERSION %v, want golang:${GO_VERSION} with go.mod's go %s", froms[0][1], arg, goLine[1])
	}
}

// dockerignore reads .dockerignore's patterns: plain paths, globs and
// "**/" prefixes, the only forms it may use.
func dockerignore(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	var pats []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") || strings.Contains(strings.TrimPrefix(line, "**/"), "**") {
			t.Fatalf(".dockerignore: %q is a form this test does not read", line)
		}
		pats = append(pats, strings.TrimPrefix(line, "/"))
	}
	return pats
}

// ignored says whether the build context leaves path (slash-separated,
// relative to the root) out, as Docker reads .dockerignore: a pattern
// matches the path or one of its parent folders.
func ignored(pats []string, path string) bool {
	parts := strings.Split(path, "/")
	for _, p := range pats {
		anyDepth := strings.HasPrefix(p, "**/")
		p = strings.TrimPrefix(p, "**/")
		for end := 1; end <= len(parts); end++ {
			for start := 0; start < end; start++ {
				if start > 0 && !anyDepth {
					break
				}
				if ok, _ := filepath.Match(p, strings.Join(parts[start:end], "/")); ok {
					return true
				}
			}
		}
	}
	return false
}

// The image builds from the context .dockerignore leaves, with the
// Dockerfile's own build command, and the version is stamped in: no Docker
// engine runs here, so the build stage runs as the Dockerfile writes it.
func TestDockerBuildStageFromTheContext(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	df, err := os.ReadFile("../deploy/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^RUN (CGO_ENABLED=0 GOOS=linux go build [^\n]*-o /out/parley ./cmd/parley)`).FindSubmatch(df)
	if m == nil {
		t.Fatal("no build command in the Dockerfile")
	}
	pats := dockerignore(t)
	for _, must := range []string{"go.mod", "go.sum", "seeds/articles.json", "index/places/countries.json", "index/people/roles.json", "cmd/parley/main.go"} {
		if ignored(pats, must) {
			t.Errorf(".dockerignore leaves out %s, which the build needs", must)
		}
	}
	for _, out := range []string{".git/config", "bot/testdata/stats.golden.json", "bot/server_test.go", "docs/operations.md"} {
		if !ignored(pats, out) {
			t.Errorf(".dockerignore keeps %s", out)
		}
	}
	ctx := t.TempDir()
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", path)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignored(pats, rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(ctx, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(ctx, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmd := exec.Command("sh", "-c", strings.ReplaceAll(string(m[1]), "/out/", out+"/"))
	cmd.Dir = ctx
	cmd.Env = append(os.Environ(), "VERSION=v9.9.9-test", "GOTOOLCHAIN=local", "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build stage: %v\n%s", err, b)
	}
	v, err := exec.Command(filepath.Join(out, "parley"), "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(v), "parley v9.9.9-test") {
		t.Errorf("parley version = %q, %v; want the stamped version", v, err)
	}
	if h, _ := exec.Command(filepath.Join(out, "parley"), "help").CombinedOutput(); !strings.Contains(string(h), "healthcheck") {
		t.Errorf("the image's binary has no healthcheck command:\n%s", h)
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

// The unit's install steps work as written: run with sh, "sudo" dropped
// and the system's folders moved into a temporary root, they build the
// binary, install it, the unit and a secrets file holding a salt, with the
// modes the unit's comments promise.
func TestSystemdInstallSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	b, err := os.ReadFile("../deploy/parley.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(b)
	start, end := strings.Index(unit, "# --- install ---\n"), strings.Index(unit, "# --- end ---")
	if start < 0 || end < start {
		t.Fatal("no install steps between markers in deploy/parley.service")
	}
	root := t.TempDir()
	for _, d := range []string{"usr/local/bin", "etc/systemd/system"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	var script []string
	for _, line := range strings.Split(unit[start:end], "\n")[1:] {
		line = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		if line == "" {
			continue
		}
		line = strings.ReplaceAll(line, "sudo ", "")
		for _, dir := range []string{"/usr/local/bin", "/etc/"} {
			line = strings.ReplaceAll(line, " "+dir, " "+root+dir)
		}
		script = append(script, line)
	}
	// The steps build ./parley in the checkout (which .gitignore ignores);
	// one that was there before is left.
	if _, err := os.Stat("../parley"); err != nil {
		defer os.Remove("../parley")
	}
	cmd := exec.Command("sh", "-ec", strings.Join(script, "\n"))
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("install steps: %v\n%s\n%s", err, strings.Join(script, "\n"), out)
	}
	for path, mode := range map[string]fs.FileMode{
		"usr/local/bin/parley": 0o755, "etc/systemd/system/parley.service": 0o644,
		"etc/parley": 0o755 | fs.ModeDir, "etc/parley/parley.env": 0o600,
	} {
		info, err := os.Stat(filepath.Join(root, path))
		if err != nil {
			t.Errorf("%s not installed: %v", path, err)
			continue
		}
		if info.Mode() != mode {
			t.Errorf("%s: mode %v, want %v", path, info.Mode(), mode)
		}
	}
	env, _ := os.ReadFile(filepath.Join(root, "etc/parley/parley.env"))
	if !regexp.MustCompile(`(?m)^PARLEY_QUERY_LOG_SALT=[0-9a-f]{64}$`).Match(env) {
		t.Errorf("parley.env holds %q, want a 64 hex digit salt", env)
	}
	if v, err := exec.Command(filepath.Join(root, "usr/local/bin/parley"), "version").CombinedOutput(); err != nil || !strings.HasPrefix(string(v), "parley ") {
		t.Errorf("installed binary: %q %v", v, err)
	}
	// The README shows the same steps.
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(unit[start:end], "\n")[1:] {
		if step := strings.TrimSpace(strings.TrimPrefix(line, "#")); step != "" && !strings.Contains(string(readme), "\n"+step+"\n") {
			t.Errorf("the README lacks the install step %q", step)
		}
	}
	// The unit reads what the steps install.
	keys := map[string]string{}
	for _, line := range strings.Split(unit, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(line, "#") {
			keys[k] = v
		}
	}
	if keys["EnvironmentFile"] != "/etc/parley/parley.env" || !strings.HasPrefix(keys["ExecStart"], "/usr/local/bin/parley ") {
		t.Errorf("the unit reads %s and runs %s", keys["EnvironmentFile"], keys["ExecStart"])
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
