import Metrics

/// The stream's swift-metrics instruments (no-ops until the application bootstraps a backend),
/// labelled with the endpoint.
struct TwitterStreamMetrics: Sendable {
    let connects: Counter
    let reconnects: Counter
    let keepAlives: Counter
    let stalls: Counter
    let bytes: Counter
    let posts: Counter
    let malformed: Counter

    init(endpoint: String) {
        let dimensions = [("endpoint", endpoint)]
        connects = Counter(label: "twitter_stream_connects_total", dimensions: dimensions)
        reconnects = Counter(label: "twitter_stream_reconnects_total", dimensions: dimensions)
        keepAlives = Counter(label: "twitter_stream_keep_alives_total", dimensions: dimensions)
        stalls = Counter(label: "twitter_stream_stalls_total", dimensions: dimensions)
        bytes = Counter(label: "twitter_stream_bytes_total", dimensions: dimensions)
        posts = Counter(label: "twitter_stream_posts_total", dimensions: dimensions)
        malformed = Counter(label: "twitter_stream_malformed_total", dimensions: dimensions)
    }
}
