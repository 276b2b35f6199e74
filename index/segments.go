package index

import (
	"cmp"
	"slices"
	"strconv"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// Parley's bleve indexes write their segments through sortedSegments: zap
// (the version bleve v2.6.1 writes by default), with the documents of each
// new segment in sentence order.
//
// Why: bleve orders hits of equal score by their place in the index, and
// scorch fills a segment in the order a batch's map and its parallel
// analysis hand documents over, which changes from one build to the next. A
// segment in sentence order makes bleve's own tie-break "article, then
// position", so that the same articles give the same answers in every
// process, at no cost per search.
//
// An index in memory is one batch, so one segment. An on-disk shard is
// built in batches of runs of sentences in order; scorch merges nothing
// while it is built (buildConfig) but the unsaved segments it writes out,
// which are runs too; and at the end forceMerge merges every segment in one
// step, which Merge below does in the order of their first sentences, so
// the shard's one segment is in sentence order too.
const (
	segmentType    = "parley-zap"
	segmentVersion = 17
)

type sortedSegments struct{ zap.ZapPlugin }

func (sortedSegments) Type() string    { return segmentType }
func (sortedSegments) Version() uint32 { return segmentVersion }

func (p *sortedSegments) New(results []index.Document) (segment.Segment, uint64, error) {
	return p.ZapPlugin.New(inSentenceOrder(results))
}

func (p *sortedSegments) NewUsing(results []index.Document, config map[string]any) (segment.Segment, uint64, error) {
	return p.ZapPlugin.NewUsing(inSentenceOrder(results), config)
}

func (p *sortedSegments) Merge(segs []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter) ([][]uint64, uint64, error) {
	return p.MergeUsing(segs, drops, path, closeCh, s, nil)
}

// MergeUsing merges segments in the order of their first documents. It
// returns, as scorch expects, each input segment's new document numbers in
// the order the segments were given.
func (p *sortedSegments) MergeUsing(segs []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter, config map[string]any) ([][]uint64, uint64, error) {
	order := make([]int, len(segs))
	first := make([]int, len(segs))
	for i, sg := range segs {
		order[i] = i
		first[i] = int(^uint(0) >> 1)
		if sg.Count() > 0 {
			if id, err := sg.DocID(0); err == nil {
				if n, err := strconv.Atoi(string(id)); err == nil {
					first[i] = n
				}
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(first[a], first[b]) })
	sorted := make([]segment.Segment, len(segs))
	sortedDrops := make([]*roaring.Bitmap, len(drops))
	for i, o := range order {
		sorted[i] = segs[o]
		if o < len(drops) {
			sortedDrops[i] = drops[o]
		}
	}
	nums, n, err := p.ZapPlugin.MergeUsing(sorted, sortedDrops, path, closeCh, s, config)
	if err != nil {
		return nil, n, err
	}
	out := make([][]uint64, len(segs))
	for i, o := range order {
		if i < len(nums) {
			out[o] = nums[i]
		}
	}
	return out, n, nil
}

// inSentenceOrder sorts documents by their id, a sentence number; ids that
// are not numbers (none of Parley's) go last, in id order.
func inSentenceOrder(docs []index.Document) []index.Document {
	key := func(d index.Document) (int, string) {
		n, err := strconv.Atoi(d.ID())
		if err != nil {
			return int(^uint(0) >> 1), d.ID()
		}
		return n, ""
	}
	slices.SortFunc(docs, func(a, b index.Document) int {
		an, as := key(a)
		bn, bs := key(b)
		if c := cmp.Compare(an, bn); c != 0 {
			return c
		}
		return cmp.Compare(as, bs)
	})
	return docs
}

// registerSegments adds sortedSegments to scorch's plugin registry, once
// per process, before any index is created or opened (the registry is a
// plain map: registering while another index opens would race). It is the
// one piece of package state here, because bleve's registry is global.
var registerSegments = sync.OnceFunc(func() {
	scorch.RegisterSegmentPlugin(&sortedSegments{}, false)
})

// Modes of a Parley index's configuration.
const (
	inMemory = iota
	building
	readOnly
)

// scorchConfig is the configuration of every Parley index: its segments
// written by sortedSegments. While an on-disk index is built, scorch merges
// no files until forceMerge merges them all at once: its planner merges
// when the segments outnumber a budget of about the total size over the
// smallest segment's size, floored, per tier; with no floor and tiers that
// never fill, the budget is never less than the segments. (A batch waits
// until it is saved, so no unsaved segments pile up to be merged in memory
// either.)
func scorchConfig(mode int) map[string]any {
	registerSegments()
	c := map[string]any{"forceSegmentType": segmentType, "forceSegmentVersion": segmentVersion}
	if mode != building {
		// Safe with readerOf's readers only (termReaders): every search uses them.
		c["fieldTFRCacheThreshold"] = keptTermReaders
	}
	switch mode {
	case building:
		c["scorchMergePlanOptions"] = map[string]any{"MaxSegmentsPerTier": 1 << 30, "SegmentsPerMergeTask": 10,
			"FloorSegmentSize": 1, "FloorSegmentFileSize": 0}
	case readOnly:
		c["read_only"] = true
	}
	return c
}
