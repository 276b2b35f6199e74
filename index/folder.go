package index

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"

	"github.com/parley-bot/parley"
)

// Limits bound what LoadFS and LoadDir read. Files dropped into an articles
// folder are untrusted input: a link, a pipe, a device or one huge file must
// cost a clear error, never memory or a blocked reader. Every zero value
// means no limit.
type Limits struct {
	// MaxFile is the largest article file read, in bytes.
	MaxFile int64
	// MaxTotal is the most article text read in all, in bytes.
	MaxTotal int64
	// Memory is the memory the process may use (its container's limit or
	// GOMEMLIMIT), and InUse what it uses already (the index serving now
	// stays until the new one replaces it): a folder whose build would need
	// more than Memory-InUse (BuildMemory) is refused before anything is
	// read.
	Memory, InUse int64
}

// Defaults of the settings that fill Limits (--max-article-size,
// --max-articles-size). A long news article is 50 KB; the total bounds what
// a reload reads, the memory estimate what it builds.
const (
	DefaultMaxFile  = 2 << 20
	DefaultMaxTotal = 256 << 20
)

// Memory a build needs, measured on 8-50 MB of article text, one article or
// hundreds (docs/operations.md): a peak of 10-13 bytes per byte of text with
// the collector's defaults, 8-10 with GOMEMLIMIT set as main sets it (a 50 MB
// article peaked at 427 MiB in a 512 MiB container), plus the tables and
// gazetteer of a start-up. The estimate errs high.
const (
	buildBytesPerByte = 16
	buildOverhead     = 16 << 20
)

// BuildMemory estimates the peak memory of building an in-memory index from
// textBytes of articles.
func BuildMemory(textBytes int64) int64 {
	return buildBytesPerByte*textBytes + buildOverhead
}

// ErrNoArticles is the error for a folder with no article text: serving
// from it would answer "the articles don't cover that" to everything.
var ErrNoArticles = errors.New("no articles: the folder has no *.txt file with text in it")

// LimitError is a folder refused for its size before it was read.
type LimitError struct {
	// Kind is "file" (one article over MaxFile), "total" (all articles over
	// MaxTotal) or "memory" (the build would not fit).
	Kind string
	// File is the article named: the one over the limit, or the largest.
	File  string
	Size  int64 // File's size
	Total int64 // all articles' size
	// Need and Limit are in bytes: the file's size or the total against
	// MaxFile or MaxTotal; the estimated build against the memory left.
	Need, Limit int64
	// Memory and InUse are Limits' values, for "memory".
	Memory, InUse int64
}

func (e *LimitError) Error() string {
	switch e.Kind {
	case "file":
		return fmt.Sprintf("article %s is %s, over the limit of %s per article", e.File, Bytes(e.Size), Bytes(e.Limit))
	case "total":
		return fmt.Sprintf("the articles are %s in all (largest %s, %s), over the limit of %s", Bytes(e.Total), e.File, Bytes(e.Size), Bytes(e.Limit))
	}
	return fmt.Sprintf("building an index of these articles needs about %s (%s of text, largest %s, %s), more than the %s left of the memory limit of %s (%s in use); "+
		"for a corpus this large, build an on-disk index once with `parley index build --seeds DIR --out PATH` and serve it with --index PATH",
		Bytes(e.Need), Bytes(e.Total), e.File, Bytes(e.Size), Bytes(max(e.Limit, 0)), Bytes(e.Memory), Bytes(e.InUse))
}

// Bytes formats n as people read sizes: "512 B", "8.0 MiB".
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// LoadDir loads the articles of the folder dir (see Load) within lim.
// Nothing outside dir is read: files are opened through an os.Root, so a
// link that leads out of the folder is an error naming it, while links
// inside it (a Kubernetes ConfigMap's) work.
func LoadDir(dir string, lim Limits) ([]*parley.Article, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("articles folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("articles folder %s: not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("articles folder: %w", err)
	}
	defer root.Close()
	return LoadFS(rootFS{root}, lim)
}

// rootFS reads a folder through an os.Root, opening without blocking: a
// named pipe that slipped past the type check (replaced between the check
// and the open) then fails the second check instead of waiting for a
// writer for ever.
type rootFS struct{ r *os.Root }

func (f rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return f.r.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

func (f rootFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	return f.r.Stat(name)
}

func (f rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	d, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	entries, err := d.(*os.File).ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

// articleFile is one *.txt checked and ready to read.
type articleFile struct {
	name string
	size int64
}

// articleFiles lists the article files of fsys with their sizes, checking
// each one's type and size before anything is opened.
func articleFiles(fsys fs.FS, lim Limits) ([]articleFile, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read articles folder: %w", err)
	}
	var files []articleFile
	var total int64
	for _, e := range entries {
		name := e.Name()
		// Hidden files are editors' and copy tools' temporaries (rsync's
		// .name.txt.XXXXXX, macOS's ._name.txt), never articles.
		if path.Ext(name) != ".txt" || strings.HasPrefix(name, ".") {
			continue
		}
		info, err := checkFile(fsys, e)
		if err != nil {
			return nil, err
		}
		if info == nil {
			continue // a folder named *.txt
		}
		if lim.MaxFile > 0 && info.Size() > lim.MaxFile {
			return nil, &LimitError{Kind: "file", File: name, Size: info.Size(), Limit: lim.MaxFile}
		}
		files = append(files, articleFile{name: name, size: info.Size()})
		total += info.Size()
	}
	if len(files) == 0 {
		return nil, nil
	}
	largest := slices.MaxFunc(files, func(a, b articleFile) int { return cmpInt64(a.size, b.size) })
	if lim.MaxTotal > 0 && total > lim.MaxTotal {
		return nil, &LimitError{Kind: "total", File: largest.name, Size: largest.size, Total: total, Limit: lim.MaxTotal}
	}
	if lim.Memory > 0 {
		if need, left := BuildMemory(total), lim.Memory-lim.InUse; need > left {
			return nil, &LimitError{Kind: "memory", File: largest.name, Size: largest.size, Total: total,
				Need: need, Limit: left, Memory: lim.Memory, InUse: lim.InUse}
		}
	}
	return files, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// checkFile returns the file's information when it is a regular file (links
// followed, inside the folder only), nil for a folder, and an error naming
// it otherwise. Nothing is opened.
func checkFile(fsys fs.FS, e fs.DirEntry) (fs.FileInfo, error) {
	name := e.Name()
	info, err := fs.Stat(fsys, name)
	if err != nil {
		if e.Type()&fs.ModeSymlink != 0 {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("article %s: a link to nothing (broken link)", name)
			}
			return nil, fmt.Errorf("article %s: a link that leads outside the articles folder, not read: %w", name, err)
		}
		return nil, fmt.Errorf("article %s: %w", name, err)
	}
	switch mode := info.Mode(); {
	case mode.IsRegular():
		return info, nil
	case mode.IsDir():
		return nil, nil
	default:
		return nil, fmt.Errorf("article %s: %s, not a regular file: not read", name, fileKind(mode))
	}
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "not a file"
}

// readFile reads a file checked by checkFile, checking it again once open
// (it may have been replaced since) and reading at most limit bytes (0: no
// limit), so a file that grows while read cannot take more.
func readFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s, not a regular file: not read", fileKind(info.Mode()))
	}
	var r io.Reader = f
	if limit > 0 {
		r = io.LimitReader(f, limit+1)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if limit > 0 && int64(len(b)) > limit {
		return nil, fmt.Errorf("grew past the limit of %s while being read", Bytes(limit))
	}
	return b, nil
}

// readMetadata reads articles.json under the same checks as an article; its
// size counts against MaxTotal alone (it grows with the number of articles,
// not their length).
func readMetadata(fsys fs.FS, lim Limits) ([]byte, error) {
	info, err := fs.Stat(fsys, MetadataFile)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s, not a regular file: not read", fileKind(info.Mode()))
	}
	if lim.MaxTotal > 0 && info.Size() > lim.MaxTotal {
		return nil, fmt.Errorf("%s, over the limit of %s", Bytes(info.Size()), Bytes(lim.MaxTotal))
	}
	return readFile(fsys, MetadataFile, lim.MaxTotal)
}
