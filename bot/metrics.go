package bot

import (
	"fmt"
	"net/http"
	"time"

	"github.com/parley-bot/parley"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes of an answer, the outcome label of parley_answers_total.
const (
	OutcomeCovered     = "covered"
	OutcomeNotCovered  = "not_covered"
	OutcomeError       = "error"
	OutcomeRateLimited = "rate_limited"
)

// Metrics are Parley's Prometheus metrics, in a registry of their own (no
// global state: tests build as many as they like).
type Metrics struct {
	// Registry holds every metric below plus the Go runtime and process
	// collectors.
	Registry *prometheus.Registry

	answers        *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	articles       prometheus.Gauge
	sentences      prometheus.Gauge
	reloads        *prometheus.CounterVec
	reloadFailures *prometheus.CounterVec
	queryLogErrors prometheus.Counter
	rejected       *prometheus.CounterVec
}

// NewMetrics registers Parley's metrics in a new registry.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_answers_total",
			Help: "Answers given, by platform, command and outcome (covered, not_covered, error, rate_limited).",
		}, []string{"platform", "command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "parley_answer_duration_seconds",
			Help:    "Time to produce an answer, by platform and command (rendering and delivery excluded).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"platform", "command"}),
		articles: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "parley_articles_indexed",
			Help: "Articles in the index now serving.",
		}),
		sentences: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "parley_sentences_indexed",
			Help: "Citable sentences in the index now serving.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_reloads_total",
			Help: "Reloads attempted, by what was reloaded (articles, config).",
		}, []string{"what"}),
		reloadFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_reload_failures_total",
			Help: "Reloads that failed and left the previous version serving, by what was reloaded.",
		}, []string{"what"}),
		queryLogErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "parley_query_log_errors_total",
			Help: "Query log records that could not be written.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "parley_rejected_requests_total",
			Help: "Requests refused before an answer, by platform and reason (bad_signature, stale_timestamp, replayed, too_large, replay_memory_full).",
		}, []string{"platform", "reason"}),
	}
	reg.MustRegister(m.answers, m.latency, m.articles, m.sentences, m.reloads, m.reloadFailures, m.queryLogErrors, m.rejected,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveAnswer counts one answer and its latency.
func (m *Metrics) ObserveAnswer(platform, command, outcome string, d time.Duration) {
	platform, command = labelPlatform(platform), labelCommand(command)
	m.answers.WithLabelValues(platform, command, outcome).Inc()
	m.latency.WithLabelValues(platform, command).Observe(d.Seconds())
}

// SetIndexed sets the size of the index now serving.
func (m *Metrics) SetIndexed(articles, sentences int) {
	m.articles.Set(float64(articles))
	m.sentences.Set(float64(sentences))
}

// ObserveReload counts a reload of what ("articles", "config") and its
// failure when err is not nil.
func (m *Metrics) ObserveReload(what string, err error) {
	m.reloads.WithLabelValues(what).Inc()
	if err != nil {
		m.reloadFailures.WithLabelValues(what).Inc()
	} else {
		// Make the failure series exist at 0 so alerts on increase() work
		// from the first failure.
		m.reloadFailures.WithLabelValues(what)
	}
}

// TrackConnection exports parley_connected{platform=...} as 1 while
// connected() is true: Socket Mode and gateway connection state.
func (m *Metrics) TrackConnection(platform string, connected func() bool) error {
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "parley_connected",
		Help:        "1 while the platform's long-lived connection (Socket Mode, gateway) is up.",
		ConstLabels: prometheus.Labels{"platform": platform},
	}, func() float64 {
		if connected() {
			return 1
		}
		return 0
	})
	if err := m.Registry.Register(g); err != nil {
		return fmt.Errorf("metrics: connection %s: %w", platform, err)
	}
	return nil
}

func (m *Metrics) queryLogError() { m.queryLogErrors.Inc() }

// ObserveRejected counts a request a front end refused.
func (m *Metrics) ObserveRejected(platform, reason string) {
	m.rejected.WithLabelValues(labelPlatform(platform), labelReason(reason)).Inc()
}

// labelReason keeps the reason label to the known reasons.
func labelReason(r string) string {
	switch r {
	case parley.RejectBadSignature, parley.RejectStale, parley.RejectReplayed, parley.RejectTooLarge, parley.RejectReplayMemoryFull:
		return r
	}
	return "other"
}

// labelCommand keeps the command label to the command table: a label per
// typo would grow the series without bound.
func labelCommand(c string) string {
	if parley.IsCommand(c) {
		return c
	}
	return "other"
}

func labelPlatform(p string) string {
	switch p {
	case "":
		return "unknown"
	case "slack", "discord", "cli", "http":
		return p
	}
	if len(p) > 32 {
		return "other"
	}
	return p
}
