package index

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/parley-bot/parley"
)

// An on-disk index is a folder (docs/scaling.md, "The on-disk index"):
//
//	parley.meta    gob: the articles' metadata and where each is in
//	               parley.corpus, the people, topics and places, the
//	               tables of names the sentences refer to
//	parley.corpus  each article's sentence rows then its text, read by
//	               offset when an answer needs the article
//	shard-N        bleve indexes of the sentences, each merged to one
//	               segment, searched in parallel
//
// Opening reads only parley.meta and opens the shards: the articles' text
// and sentences stay on disk until an answer needs them.
const (
	metaFile      = "parley.meta"
	corpusFile    = "parley.corpus"
	shardPrefix   = "shard-"
	formatVersion = 4
	corpusMagic   = "PARLEY3\n"
	// rowSize is one sentence's row in parley.corpus: start, end,
	// paragraph, paragraph start and end, speaker, people and places
	// (uint32 each), kind and features (a byte each), two bytes spare.
	rowSize = 36
)

type diskMeta struct {
	Format   int
	Shards   int
	Articles []diskArticle
	// Names are the people's and places' names sentences refer to by
	// number; Names[0] is "". Kinds likewise for speech kinds.
	Names []string
	Kinds []string
	// List k of names (a sentence's people or places) is
	// Lists[ListStart[k]:ListStart[k+1]]; list 0 is empty.
	ListStart []uint32
	Lists     []uint32
	People    []parley.Person
	Topics    []string
	Places    []string
	// AboutStart, AboutSpeech and AboutDocs are each person's sentences,
	// ranked (aboutLists).
	AboutStart, AboutSpeech, AboutDocs []uint32
}

type diskArticle struct {
	ID, Title, Headline, Outlet, URL, Date string
	// Event is what articles.json says of the event the article reports.
	Event *parley.Event
	// Off is where the article's rows start in parley.corpus; its text
	// follows them.
	Off       int64
	Sentences uint32
	TextLen   uint32
}

func (d diskArticle) size() int64 { return int64(d.Sentences)*rowSize + int64(d.TextLen) }

// diskBatch is how many sentences go to an on-disk index at once: the
// memory a build takes grows with it.
const diskBatch = 20000

// BuildOnDisk builds an index at path (which must not exist) for corpora too
// large to build at start-up; Open serves it read-only. The index is built
// in a temporary folder beside path and renamed into place when complete,
// so path never holds half an index. Once annotated and written, the
// articles are read back from the index as it is built: a caller that does
// not use them after the call lets their memory go.
func BuildOnDisk(ctx context.Context, path string, articles []*parley.Article, opts Options) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("index: %s already exists", path)
	}
	m, err := Mapping()
	if err != nil {
		return err
	}
	ix, err := prepare(articles, opts, m)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(path), filepath.Base(path)+".building-")
	if err != nil {
		return fmt.Errorf("index: build %s: %w", path, err)
	}
	if err := ix.writeDisk(ctx, tmp, opts.Shards); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("index: build %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("index: build %s: %w", path, err)
	}
	return nil
}

func (ix *Index) writeDisk(ctx context.Context, dir string, shards int) error {
	shards = max(1, min(shards, len(ix.articles)))
	meta, err := ix.writeCorpus(filepath.Join(dir, corpusFile))
	if err != nil {
		return err
	}
	meta.Shards = shards
	// The shards are indexed from the corpus file, article by article: the
	// articles in memory, text and sentences, can go (BuildOnDisk's caller
	// holds them no longer), which is most of what a large build holds.
	ix.articles = nil
	st, err := newDiskStore(dir, meta, 64<<20)
	if err != nil {
		return err
	}
	defer st.close()
	m, err := Mapping()
	if err != nil {
		return err
	}
	for k := 0; k < shards; k++ {
		idx, err := bleve.NewUsing(filepath.Join(dir, shardPrefix+strconv.Itoa(k)), m, scorch.Name, scorch.Name, scorchConfig(building))
		if err != nil {
			return fmt.Errorf("shard %d: %w", k, err)
		}
		err = ix.load(ctx, idx, st, k, shards, ix.batch)
		var live map[string]bool
		if err == nil {
			live, err = forceMerge(ctx, idx)
		}
		if err == nil {
			err = ix.writeChampions(ctx, idx, championsFile(dir, k))
		}
		if cerr := idx.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = removeStale(filepath.Join(dir, shardPrefix+strconv.Itoa(k), "store"), live)
		}
		if err != nil {
			return fmt.Errorf("shard %d: %w", k, err)
		}
	}
	return writeGob(filepath.Join(dir, metaFile), meta)
}

// writeCorpus writes every article's sentence rows and text, and returns
// the metadata that finds them.
func (ix *Index) writeCorpus(path string) (*diskMeta, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	// Names may be slices of an article's text (a name as written): they
	// are copied, so as not to keep the text in memory for them.
	people := make([]parley.Person, len(ix.people))
	for i, p := range ix.people {
		people[i] = p
		people[i].Name, people[i].Role, people[i].Affiliation = strings.Clone(p.Name), strings.Clone(p.Role), strings.Clone(p.Affiliation)
		people[i].Aliases = make([]string, len(p.Aliases))
		for j, al := range p.Aliases {
			people[i].Aliases[j] = strings.Clone(al)
		}
	}
	ix.people = people
	meta := &diskMeta{Format: formatVersion, Names: []string{""}, Kinds: []string{""}, ListStart: []uint32{0, 0},
		People: ix.people, Topics: ix.topics, Places: ix.places,
		AboutStart: ix.about.start, AboutSpeech: ix.about.speech, AboutDocs: ix.about.docs}
	names := map[string]uint32{"": 0}
	kinds := map[string]uint8{"": 0}
	lists := map[string]uint32{}
	name := func(s string) uint32 {
		id, ok := names[s]
		if !ok {
			s = strings.Clone(s)
			id = uint32(len(meta.Names))
			names[s] = id
			meta.Names = append(meta.Names, s)
		}
		return id
	}
	var key []byte
	list := func(ss []string) uint32 {
		if len(ss) == 0 {
			return 0
		}
		key = key[:0]
		for _, s := range ss {
			key = binary.LittleEndian.AppendUint32(key, name(s))
		}
		id, ok := lists[string(key)]
		if !ok {
			id = uint32(len(meta.ListStart) - 1)
			lists[string(key)] = id
			for i := 0; i < len(key); i += 4 {
				meta.Lists = append(meta.Lists, binary.LittleEndian.Uint32(key[i:]))
			}
			meta.ListStart = append(meta.ListStart, uint32(len(meta.Lists)))
		}
		return id
	}
	off := int64(len(corpusMagic))
	if _, err := w.WriteString(corpusMagic); err != nil {
		return nil, err
	}
	row := make([]byte, rowSize)
	for _, a := range ix.articles {
		if uint64(len(a.Text)) > 1<<32-1 {
			return nil, fmt.Errorf("article %s: too long (%d bytes)", a.ID, len(a.Text))
		}
		da := diskArticle{ID: a.ID, Title: a.Title, Headline: a.Headline, Outlet: a.Outlet, URL: a.URL, Date: a.Date, Event: a.Event,
			Off: off, Sentences: uint32(len(a.Sentences)), TextLen: uint32(len(a.Text))}
		for _, s := range a.Sentences {
			kind, ok := kinds[s.Kind]
			if !ok {
				if len(meta.Kinds) > 255 {
					return nil, fmt.Errorf("more than 255 kinds of speech")
				}
				kind = uint8(len(meta.Kinds))
				kinds[s.Kind] = kind
				meta.Kinds = append(meta.Kinds, s.Kind)
			}
			for i, v := range []int{s.Start, s.End, s.Paragraph, s.ParagraphStart, s.ParagraphEnd} {
				binary.LittleEndian.PutUint32(row[4*i:], uint32(v))
			}
			binary.LittleEndian.PutUint32(row[20:], name(s.Speaker))
			binary.LittleEndian.PutUint32(row[24:], list(s.People))
			binary.LittleEndian.PutUint32(row[28:], list(s.Places))
			row[32], row[33] = kind, byte(s.Features)
			if _, err := w.Write(row); err != nil {
				return nil, err
			}
		}
		if _, err := w.WriteString(a.Text); err != nil {
			return nil, err
		}
		off += da.size()
		meta.Articles = append(meta.Articles, da)
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	return meta, f.Close()
}

func writeGob(path string, v any) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	if err := gob.NewEncoder(w).Encode(v); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Open opens an index written by BuildOnDisk, read-only. opts.Gazetteer must
// be the one it was built with; opts.Annotator is not used.
func Open(path string, opts Options) (*Index, error) {
	return OpenWait(context.Background(), path, opts, nil)
}

// lockPoll is how long one attempt to open waits for a shard's lock, and
// how often an index still being built is looked for.
const lockPoll = time.Second

// OpenWait is Open that says when it waits, and waits: for an index that
// parley index build is still writing (it appears at path, whole, when the
// build renames it into place) and for a shard whose lock a writer holds.
// waiting, when set, is called once, when the first attempt finds either;
// the wait ends with ctx.
func OpenWait(ctx context.Context, path string, opts Options, waiting func()) (*Index, error) {
	told := false
	for {
		ix, err := open(path, opts)
		switch {
		case err == nil:
			return ix, nil
		case errors.Is(err, bolterrors.ErrTimeout): // open waited lockPoll already
		case errors.Is(err, fs.ErrNotExist) && beingBuilt(path):
			select {
			case <-ctx.Done():
			case <-time.After(lockPoll):
			}
		default:
			return nil, fmt.Errorf("index: open %s: %w", path, err)
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("index: open %s: waiting for its lock: %w", path, ctx.Err())
		}
	}
}

// beingBuilt says whether BuildOnDisk is writing path: its temporary
// folder is beside it.
func beingBuilt(path string) bool {
	m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), globEscape(filepath.Base(path))+".building-*"))
	return len(m) > 0
}

// globEscape makes a file name match itself in a glob pattern.
func globEscape(name string) string {
	var b strings.Builder
	for _, r := range name {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func open(path string, opts Options) (*Index, error) {
	f, err := os.Open(filepath.Join(path, metaFile))
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(filepath.Join(path, "index_meta.json")); serr == nil {
			return nil, errors.New("built by an older Parley: build it again with parley index build")
		}
	}
	if err != nil {
		return nil, err
	}
	var meta diskMeta
	err = gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&meta)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", metaFile, err)
	}
	if meta.Format != formatVersion {
		return nil, fmt.Errorf("format %d, this Parley reads %d: build it again with parley index build", meta.Format, formatVersion)
	}
	if meta.Shards < 1 {
		return nil, fmt.Errorf("%s: incomplete", metaFile)
	}
	cache := opts.ArticleCache
	if cache <= 0 {
		cache = 32 << 20
	}
	st, err := newDiskStore(path, &meta, cache)
	if err != nil {
		return nil, err
	}
	ix := &Index{byID: make(map[string]int, len(meta.Articles)), gaz: opts.Gazetteer, people: meta.People,
		topics: meta.Topics, places: meta.Places, articles: st.shells, store: st}
	ix.docStart = make([]int, len(meta.Articles)+1)
	for i, da := range meta.Articles {
		if _, dup := ix.byID[da.ID]; dup {
			st.close()
			return nil, fmt.Errorf("article %s twice", da.ID)
		}
		ix.byID[da.ID] = i
		ix.docStart[i+1] = ix.docStart[i] + int(da.Sentences)
	}
	fail := func(err error) (*Index, error) {
		for _, sh := range ix.shards {
			sh.Close()
		}
		st.close()
		return nil, err
	}
	for k := 0; k < meta.Shards; k++ {
		cfg := scorchConfig(readOnly)
		cfg["bolt_timeout"] = lockPoll.String()
		sh, err := bleve.OpenUsing(filepath.Join(path, shardPrefix+strconv.Itoa(k)), cfg)
		if err != nil {
			return fail(fmt.Errorf("shard %d: %w", k, err))
		}
		ix.shards = append(ix.shards, sh)
	}
	for k := 0; k < meta.Shards; k++ {
		c, err := readChampions(championsFile(path, k), ix.Sentences())
		if err != nil {
			return fail(err)
		}
		if c != nil {
			ix.champions = append(ix.champions, c)
		}
	}
	ix.tierPostings = cmp.Or(opts.tierPostings, firstTierPostings)
	ix.indexPeople()
	if ix.about, err = aboutFrom(meta.AboutStart, meta.AboutSpeech, meta.AboutDocs, meta.People, ix.Sentences()); err != nil {
		return fail(err)
	}
	m, err := Mapping()
	if err != nil {
		return fail(err)
	}
	ix.analyzer = m.AnalyzerNamed(en.AnalyzerName)
	if err := ix.newExpander(opts.Lexicon); err != nil {
		return fail(err)
	}
	return ix, nil
}

// newDiskStore opens the corpus file of the index in dir for reading
// articles, with cache bytes of them kept in memory, after checking that
// the metadata's tables and every article's place in the file hold
// together.
func newDiskStore(dir string, meta *diskMeta, cache int) (*diskStore, error) {
	if len(meta.ListStart) < 2 || len(meta.Names) < 1 || len(meta.Kinds) < 1 {
		return nil, fmt.Errorf("%s: incomplete", metaFile)
	}
	lists := make([][]string, len(meta.ListStart)-1)
	for k := range lists {
		from, to := meta.ListStart[k], meta.ListStart[k+1]
		if from > to || int(to) > len(meta.Lists) {
			return nil, fmt.Errorf("%s: list %d out of range", metaFile, k)
		}
		if from == to {
			continue
		}
		l := make([]string, 0, to-from)
		for _, id := range meta.Lists[from:to] {
			if int(id) >= len(meta.Names) {
				return nil, fmt.Errorf("%s: name %d out of range", metaFile, id)
			}
			l = append(l, meta.Names[id])
		}
		lists[k] = l
	}
	f, err := os.Open(filepath.Join(dir, corpusFile))
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(corpusMagic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != corpusMagic {
		f.Close()
		return nil, fmt.Errorf("%s: not a Parley corpus", corpusFile)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	shells := make([]*parley.Article, len(meta.Articles))
	for i, a := range meta.Articles {
		if a.Off < int64(len(corpusMagic)) || a.Off+a.size() > info.Size() {
			f.Close()
			return nil, fmt.Errorf("%s: article %s beyond the end (truncated?)", corpusFile, a.ID)
		}
		headline := a.Headline
		if headline == a.Title {
			headline = a.Title // one string for both: most titles are the headline
		}
		shells[i] = &parley.Article{ID: a.ID, Title: a.Title, Headline: headline, Outlet: a.Outlet, URL: a.URL, Date: a.Date, Event: a.Event}
	}
	return &diskStore{f: f, recs: meta.Articles, shells: shells, names: meta.Names, kinds: meta.Kinds, lists: lists,
		cache: newLRU(len(meta.Articles), cache)}, nil
}

// forceMerge merges an on-disk index to one segment, in one step: a
// read-only index is searched many times and written once, every segment a
// query visits costs it a dictionary lookup and a merge of postings, and
// one merge of all the segments keeps the sentences in order (see
// sortedSegments). The planner is asked to prefer the task with the most
// segments, so that it plans one. It returns the segment files the index
// uses once merged.
func forceMerge(ctx context.Context, idx bleve.Index) (map[string]bool, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: merge: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, fmt.Errorf("index: merge: %T is not scorch", adv)
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	opts.MaxSegmentSize = mergeplan.MaxSegmentSizeLimit
	opts.SegmentsPerMergeTask = 1 << 30
	opts.ScoreSegments = func(segs []mergeplan.Segment, _ *mergeplan.MergePlanOptions) float64 { return -float64(len(segs)) }
	if err := s.ForceMerge(ctx, &opts); err != nil {
		return nil, fmt.Errorf("index: merge: %w", err)
	}
	// The merged segment is in use once merged but recorded as the index's
	// root only when scorch next saves: a write waits for that save.
	if err := idx.SetInternal([]byte("parley/merged"), []byte{1}); err != nil {
		return nil, fmt.Errorf("index: merge: %w", err)
	}
	r, err := s.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: merge: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index: merge: %T is not a scorch snapshot", r)
	}
	live := map[string]bool{}
	for _, ss := range snap.Segments() {
		ps, ok := ss.Segment().(segment.PersistedSegment)
		if !ok {
			return nil, errors.New("index: merge: a segment was not saved")
		}
		live[filepath.Base(ps.Path())] = true
	}
	return live, nil
}

// removeStale removes the segment files of a closed index that its root no
// longer uses: scorch keeps the last replaced ones for a rollback and
// removes them later, but a built index is never written again.
func removeStale(store string, live map[string]bool) error {
	zaps, err := filepath.Glob(filepath.Join(store, "*.zap"))
	if err != nil {
		return err
	}
	for _, z := range zaps {
		if !live[filepath.Base(z)] {
			if err := os.Remove(z); err != nil {
				return err
			}
		}
	}
	return nil
}
