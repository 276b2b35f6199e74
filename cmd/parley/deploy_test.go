package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// A workload of deploy/k8s as serve sees it: its environment, the Secret
// keys it reads, and its volumes' files.
type workload struct {
	folder, name string
	env          map[string]string // literal values, mount paths rewritten
	secrets      []string          // variables taken from the Secret
}

// deployedWorkloads reads deploy/k8s: each Deployment's and StatefulSet's
// container environment, with paths under its volume mounts moved to
// temporary folders holding what Kubernetes would mount there (the
// ConfigMap's files; an empty folder for the rest).
func deployedWorkloads(t *testing.T) []workload {
	t.Helper()
	entries, err := os.ReadDir("../../deploy/k8s")
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, e := range entries {
		if e.IsDir() {
			folders = append(folders, filepath.Join("../../deploy/k8s", e.Name()))
		}
	}
	if len(folders) == 0 {
		t.Fatal("no deploy/k8s folders")
	}
	type container struct {
		Env []struct {
			Name      string `yaml:"name"`
			Value     string `yaml:"value"`
			ValueFrom *struct {
				SecretKeyRef *struct {
					Key string `yaml:"key"`
				} `yaml:"secretKeyRef"`
				FieldRef *struct {
					FieldPath string `yaml:"fieldPath"`
				} `yaml:"fieldRef"`
			} `yaml:"valueFrom"`
		} `yaml:"env"`
		VolumeMounts []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
	}
	type object struct {
		Kind     string `yaml:"kind"`
		Metadata struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Data map[string]string `yaml:"data"`
		Spec struct {
			Template struct {
				Spec struct {
					Containers []container `yaml:"containers"`
					Volumes    []struct {
						Name      string `yaml:"name"`
						ConfigMap *struct {
							Name string `yaml:"name"`
						} `yaml:"configMap"`
					} `yaml:"volumes"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	var out []workload
	for _, dir := range folders {
		folder := filepath.Base(dir)
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		var objs []object
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			dec := yaml.NewDecoder(strings.NewReader(string(b)))
			for {
				var o object
				if err := dec.Decode(&o); errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				objs = append(objs, o)
			}
		}
		configMaps := map[string]map[string]string{}
		for _, o := range objs {
			if o.Kind == "ConfigMap" {
				configMaps[o.Metadata.Name] = o.Data
			}
		}
		for _, o := range objs {
			if o.Kind != "Deployment" && o.Kind != "StatefulSet" {
				continue
			}
			pod := o.Spec.Template.Spec
			mounts := map[string]string{} // volume -> temporary folder
			for _, v := range pod.Volumes {
				tmp := t.TempDir()
				if v.ConfigMap != nil {
					for name, text := range configMaps[v.ConfigMap.Name] {
						os.WriteFile(filepath.Join(tmp, name), []byte(text), 0o644)
					}
				}
				mounts[v.Name] = tmp
			}
			for _, c := range pod.Containers {
				w := workload{folder: folder, name: o.Metadata.Name, env: map[string]string{}}
				for _, e := range c.Env {
					switch {
					case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil:
						w.secrets = append(w.secrets, e.Name)
					case e.ValueFrom != nil && e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.name":
						w.env[e.Name] = o.Metadata.Name + "-0"
					default:
						v := e.Value
						for _, m := range c.VolumeMounts {
							if rest, ok := strings.CutPrefix(v, m.MountPath); ok {
								v = mounts[m.Name] + rest
							}
						}
						w.env[e.Name] = v
					}
				}
				out = append(out, w)
			}
		}
	}
	return out
}

// other is the key of m that is not p.
func other(m map[string]bool, p string) string {
	for k := range m {
		if k != p {
			return k
		}
	}
	return ""
}

// secretValues are well-formed values of every secret the manifests read.
func secretValues() map[string]string {
	return map[string]string{
		"SLACK_SIGNING_SECRET": strings.Repeat("5", 32), "SLACK_BOT_TOKEN": "xoxb-1-deploy", "SLACK_APP_TOKEN": "xapp-1-deploy",
		"DISCORD_PUBLIC_KEY": testPublicKey, "DISCORD_BOT_TOKEN": "deploy-token", "DISCORD_APP_ID": "1",
		"PARLEY_QUERY_LOG_SALT": "deploy-salt",
	}
}

// Each workload of deploy/k8s passes `parley serve --check` with its
// folder's settings and the secrets it reads, and refuses to start, naming
// what is missing, without the ones its mode needs: a pod never serves
// nothing in silence.
func TestDeployedSettingsPassServeCheck(t *testing.T) {
	for _, w := range deployedWorkloads(t) {
		t.Run(w.folder+"/"+w.name, func(t *testing.T) {
			full := map[string]string{}
			for k, v := range w.env {
				full[k] = v
			}
			for _, s := range w.secrets {
				full[s] = secretValues()[s]
			}
			if code, out, errs := runParley(t, full, "", "serve", "--check"); code != 0 {
				t.Fatalf("with every secret: exit %d\n%s%s", code, out, errs)
			}
			// An install for one platform has only that platform's keys in
			// its Secret; without the salt, or without every platform this
			// mode can serve, serve refuses, naming what is missing.
			without := func(drop func(string) bool) (int, string) {
				env := map[string]string{}
				for k, v := range full {
					if !drop(k) {
						env[k] = v
					}
				}
				code, out, errs := runParley(t, env, "", "serve", "--check")
				return code, out + errs
			}
			if code, out := without(func(k string) bool { return k == "PARLEY_QUERY_LOG_SALT" }); code != 2 || !strings.Contains(out, "PARLEY_QUERY_LOG_SALT") {
				t.Errorf("without the salt: exit %d\n%s", code, out)
			}
			platforms := map[string]bool{}
			for _, s := range w.secrets {
				if p, _, ok := strings.Cut(s, "_"); ok && (p == "SLACK" || p == "DISCORD") {
					platforms[p] = true
				}
			}
			for p := range platforms {
				code, out := without(func(k string) bool { return strings.HasPrefix(k, p+"_") })
				if len(platforms) > 1 && code != 0 {
					t.Errorf("a %s-only install of %s: exit %d\n%s", strings.ToLower(other(platforms, p)), w.folder, code, out)
				}
				if len(platforms) == 1 && (code != 2 || !strings.Contains(out, "--require "+w.env["PARLEY_REQUIRE"])) {
					t.Errorf("%s without %s's keys: exit %d, want 2 naming what --require misses\n%s", w.folder, p, code, out)
				}
			}
			if code, out := without(func(k string) bool { return strings.HasPrefix(k, "SLACK_") || strings.HasPrefix(k, "DISCORD_") }); code != 2 || !strings.Contains(out, "not configured") {
				t.Errorf("%s without any platform: exit %d\n%s", w.folder, code, out)
			}
		})
	}
}
