package index_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/parley-bot/parley/index"
)

const harbour = "Valdoria and Ostland agreed on Friday to reopen the harbour.\n"

// folder makes a folder of articles from name -> text.
func folder(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadWithin runs LoadDir and fails the test if it has not returned within
// a few seconds: the faults below used to block the loader for ever.
func loadWithin(t *testing.T, dir string, lim index.Limits) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := index.LoadDir(dir, lim)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("LoadDir blocked")
		return nil
	}
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one with %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q lacks %q", err, p)
		}
	}
}

// A link in the folder to a file outside it is never followed: the file's
// text never reaches an answer, and the error names the link.
func TestLoadDirLinkOutside(t *testing.T) {
	outside := folder(t, map[string]string{"secret.txt": "The deploy token is hunter2.\n"})
	dir := folder(t, map[string]string{"harbour.txt": harbour})
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "notes.txt")); err != nil {
		t.Fatal(err)
	}
	err := loadWithin(t, dir, index.Limits{})
	wantErr(t, err, "notes.txt", "outside the articles folder")
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error quotes the file outside: %v", err)
	}

	// Relative links that climb out are refused the same way.
	os.Remove(filepath.Join(dir, "notes.txt"))
	os.Symlink("../"+filepath.Base(outside)+"/secret.txt", filepath.Join(dir, "notes.txt"))
	wantErr(t, loadWithin(t, dir, index.Limits{}), "notes.txt")

	// A link to a device outside (/dev/zero read 3 GB in 5 s) too.
	os.Remove(filepath.Join(dir, "notes.txt"))
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.txt"))
	wantErr(t, loadWithin(t, dir, index.Limits{}), "zero.txt", "outside")
}

// Links that stay inside the folder work: a Kubernetes ConfigMap mounts
// each file as a link into a ..data folder.
func TestLoadDirLinkInside(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "..2026_01_06")
	os.Mkdir(data, 0o755)
	os.WriteFile(filepath.Join(data, "harbour.txt"), []byte(harbour), 0o644)
	os.Symlink(filepath.Base(data), filepath.Join(dir, "..data"))
	os.Symlink("..data/harbour.txt", filepath.Join(dir, "harbour.txt"))
	arts, err := index.LoadDir(dir, index.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].ID != "harbour" || !strings.Contains(arts[0].Text, "reopen the harbour") {
		t.Errorf("articles %+v", arts)
	}
}

// A named pipe called *.txt fails the reload at once instead of blocking
// the loader (and every later reload, and shutdown) for ever.
func TestLoadDirFIFO(t *testing.T) {
	dir := folder(t, map[string]string{"harbour.txt": harbour})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	wantErr(t, loadWithin(t, dir, index.Limits{}), "pipe.txt", "named pipe")
}

// A device file in the folder is refused by its type, never opened.
func TestLoadDirDevice(t *testing.T) {
	dir := folder(t, map[string]string{"harbour.txt": harbour})
	// /dev/zero's numbers (1, 5): reading it never ends.
	if err := syscall.Mknod(filepath.Join(dir, "zero.txt"), syscall.S_IFCHR|0o644, 1<<8|5); err != nil {
		t.Skipf("mknod needs privileges here: %v", err)
	}
	wantErr(t, loadWithin(t, dir, index.Limits{}), "zero.txt", "character device")
}

// The type check holds for any file system, whatever can be made here.
func TestLoadFSIrregularFiles(t *testing.T) {
	for _, tc := range []struct {
		mode os.FileMode
		want string
	}{
		{os.ModeNamedPipe, "named pipe"},
		{os.ModeDevice | os.ModeCharDevice, "character device"},
		{os.ModeDevice, "device"},
		{os.ModeSocket, "socket"},
	} {
		fsys := fstest.MapFS{"a.txt": {Data: []byte(harbour)}, "odd.txt": {Mode: tc.mode}}
		_, err := index.LoadFS(fsys, index.Limits{})
		wantErr(t, err, "odd.txt", tc.want)
	}
}

func TestLoadDirSizeLimits(t *testing.T) {
	big := strings.Repeat("The harbour of Valdoria reopened on Friday after talks. ", 2000) // 112 KB
	dir := folder(t, map[string]string{"harbour.txt": harbour, "big.txt": big})

	var le *index.LimitError
	err := loadWithin(t, dir, index.Limits{MaxFile: 64 << 10})
	wantErr(t, err, "big.txt", "109.4 KiB", "64.0 KiB per article")
	if !errors.As(err, &le) || le.Kind != "file" {
		t.Errorf("error %v is not a file LimitError", err)
	}

	err = loadWithin(t, dir, index.Limits{MaxFile: 1 << 20, MaxTotal: 100 << 10})
	wantErr(t, err, "big.txt", "100.0 KiB")
	if !errors.As(err, &le) || le.Kind != "total" {
		t.Errorf("error %v is not a total LimitError", err)
	}

	// Over the memory left: refused before reading, naming the largest
	// file and the limit, pointing to the on-disk index.
	err = loadWithin(t, dir, index.Limits{Memory: 20 << 20, InUse: 10 << 20})
	wantErr(t, err, "big.txt", "memory limit of 20.0 MiB", "10.0 MiB in use", "parley index build", "--index")
	if !errors.As(err, &le) || le.Kind != "memory" || le.Need != index.BuildMemory(le.Total) {
		t.Errorf("error %v is not a memory LimitError", err)
	}

	if _, err := index.LoadDir(dir, index.Limits{MaxFile: 1 << 20, MaxTotal: 1 << 20, Memory: 1 << 30}); err != nil {
		t.Errorf("within every limit: %v", err)
	}
}

// An empty folder is an error, not an index that covers nothing; so is a
// folder of empty files (the moment before a copy writes them).
func TestLoadDirEmpty(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"no files":          nil,
		"only other files":  {"README.md": "notes", ".hidden.txt": harbour},
		"only blank":        {"a.txt": "", "b.txt": " \n\n"},
		"metadata, no text": {"articles.json": `{"articles":[]}`},
	} {
		t.Run(name, func(t *testing.T) {
			err := loadWithin(t, folder(t, files), index.Limits{})
			if !errors.Is(err, index.ErrNoArticles) {
				t.Errorf("err = %v, want ErrNoArticles", err)
			}
		})
	}
}

// Hidden files are copy tools' temporaries (rsync writes .name.txt.XXXXXX,
// macOS ._name.txt); a half-copied one must not become an article.
func TestLoadDirSkipsHiddenFiles(t *testing.T) {
	dir := folder(t, map[string]string{"harbour.txt": harbour, "._harbour.txt": "\x00\x05\x16\x07", ".draft.txt": "half a sen"})
	arts, err := index.LoadDir(dir, index.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].ID != "harbour" {
		t.Errorf("articles %v", arts)
	}
}

func TestLoadDirMetadataMustBeAFile(t *testing.T) {
	dir := folder(t, map[string]string{"harbour.txt": harbour})
	if err := syscall.Mkfifo(filepath.Join(dir, index.MetadataFile), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	wantErr(t, loadWithin(t, dir, index.Limits{}), index.MetadataFile, "named pipe")
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 8 << 20: "8.0 MiB", 512 << 20: "512.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := index.Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// serve --index on an index still being written says it waits for the lock
// (it used to wait in silence), then opens it once the writer is done.
func TestOpenWaitSaysItWaitsForTheLock(t *testing.T) {
	arts, err := index.LoadFS(fstest.MapFS{"harbour.txt": {Data: []byte(harbour)}}, index.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "parley.index")
	if err := index.BuildOnDisk(t.Context(), path, arts, index.Options{}); err != nil {
		t.Fatal(err)
	}
	writer, err := bleve.Open(filepath.Join(path, "shard-0")) // holds a shard's lock, as a writer does
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	type result struct {
		ix  *index.Index
		err error
	}
	done := make(chan result, 1)
	go func() {
		ix, err := index.OpenWait(t.Context(), path, index.Options{}, func() { close(waiting) })
		done <- result{ix, err}
	}()
	select {
	case <-waiting:
	case r := <-done:
		t.Fatalf("opened while locked: %v", r.err)
	case <-time.After(20 * time.Second):
		t.Fatal("no word of waiting for the lock")
	}
	writer.Close()
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.ix.Close()
	if len(r.ix.Articles()) != 1 {
		t.Errorf("articles %d", len(r.ix.Articles()))
	}
}

// serve --index started while parley index build is still writing the
// index (in a folder beside it, renamed into place when whole) says it
// waits, and opens the index once it is there.
func TestOpenWaitWaitsForAnIndexBeingBuilt(t *testing.T) {
	arts, err := index.LoadFS(fstest.MapFS{"harbour.txt": {Data: []byte(harbour)}}, index.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "parley.index")
	building := filepath.Join(dir, "parley.index.building-123")
	if err := os.Mkdir(building, 0o755); err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		ix, err := index.OpenWait(t.Context(), path, index.Options{}, func() { close(waiting) })
		if err == nil {
			if len(ix.Articles()) != 1 {
				err = errors.New("not the index built")
			}
			ix.Close()
		}
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("returned before the index was there: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("no word of waiting")
	}
	if err := index.BuildOnDisk(t.Context(), path, arts, index.Options{}); err != nil {
		t.Fatal(err)
	}
	os.Remove(building)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// With nothing being built, a missing index is an error at once.
	if _, err := index.OpenWait(t.Context(), filepath.Join(dir, "nothing"), index.Options{}, func() { t.Error("waited for nothing") }); err == nil {
		t.Error("opened an index that is not there")
	}
}
