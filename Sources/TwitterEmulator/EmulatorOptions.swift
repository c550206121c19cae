/// How the emulator behaves, faults included.
public struct EmulatorOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    /// The token clients must send as `Authorization: Bearer …` (401 otherwise).
    public var bearerToken = "emulator-token"
    /// JSON lines to serve, in order; nil serves generated posts.
    public var lines: [String]?
    /// Seed of the generated posts.
    public var seed: UInt64 = 42
    /// Share of generated lines that are malformed JSON.
    public var malformedShare = 0.0
    /// Posts per second, across connections; 0 sends as fast as possible.
    public var rate = 50.0
    /// Stop producing after this many posts (then only keep-alives).
    public var maxPosts: Int?
    /// Blank keep-alive lines are sent after this long without a post.
    public var keepAliveInterval: Duration = .seconds(20)
    /// The filtered stream answers 409 while there are no rules.
    public var requireRules = true
    public var faults = Faults()

    public init() {}

    /// Failures to inject, to test clients against.
    public struct Faults: Sendable {
        /// Close each connection abruptly (a bare EOF) after this many posts.
        public var disconnectAfter: Int?
        /// Send the `operational-disconnect` error line, then close, after this many posts.
        public var operationalDisconnectAfter: Int?
        /// On the first connection, go silent (no posts, no keep-alives) after this many posts.
        public var stallAfter: Int?
        /// Answer this many first connection attempts with 429 TooManyConnections.
        public var tooManyConnections = 0
        /// Answer the next this many attempts with 503.
        public var serviceUnavailable = 0
        /// Compress the stream with gzip (flushed per line) when the client accepts it.
        public var gzip = false
        /// Split every line across several small HTTP chunks.
        public var partialChunks = false

        public init() {}
    }
}
