/// What happened on a stream connection, as it happens.
public enum TwitterStreamEvent: Sendable {
    /// A connection was accepted (HTTP 200).
    case connected(rateLimit: RateLimit?)
    /// The connection ended; the client reconnects after `delay`.
    case reconnecting(reason: String, delay: Duration)
    /// The API refused the connection for good; the stream stops.
    case stopped(TwitterStreamError)
}

/// The `x-rate-limit-*` headers of the last connection.
public struct RateLimit: Sendable, Equatable {
    public var limit: Int
    public var remaining: Int
    /// Unix time (seconds) when the window resets.
    public var reset: Int64
}

/// Counters of a stream's life, for dashboards and listeners.
public struct TwitterStreamStatistics: Sendable {
    public var connects = 0
    public var reconnects = 0
    public var keepAlives = 0
    public var stalls = 0
    public var bytes = 0
    public var tweets = 0
    public var malformed = 0
    /// Posts that arrived while the buffer was full (the pipeline is too slow); counted, not kept.
    public var overflowed = 0
    public var lastError: String?
    public var rateLimit: RateLimit?
}
