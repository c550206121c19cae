/// Which stream to read and how.
public struct TwitterStreamConfiguration: Sendable {
    /// The filtered stream (posts matching the app's rules) or the 1% sample.
    public enum Endpoint: String, Sendable {
        case filtered = "/2/tweets/search/stream"
        case sample = "/2/tweets/sample/stream"
    }

    /// `https://api.x.com`, or an emulator's URL.
    public var baseURL: String
    public var endpoint: Endpoint
    public var bearerToken: BearerToken
    public var tweetFields = ["created_at", "author_id", "entities", "lang", "geo", "referenced_tweets", "note_tweet"]
    public var expansions = ["author_id"]
    public var userFields = ["username"]
    /// Reconnect when no byte (post or keep-alive) arrives for this long; the API sends a
    /// keep-alive at least every 20 s.
    public var stallTimeout: Duration = .seconds(30)
    public var backoff = BackoffPolicy()
    /// Longer lines are counted as malformed and skipped.
    public var maxLineBytes = 1 << 20
    public var userAgent = "swift-streaming/1.0"

    public init(baseURL: String = "https://api.x.com", endpoint: Endpoint = .filtered, bearerToken: BearerToken) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.endpoint = endpoint
        self.bearerToken = bearerToken
    }

    var streamURL: String {
        var query: [String] = []
        if !tweetFields.isEmpty { query.append("tweet.fields=" + tweetFields.joined(separator: ",")) }
        if !expansions.isEmpty { query.append("expansions=" + expansions.joined(separator: ",")) }
        if !userFields.isEmpty { query.append("user.fields=" + userFields.joined(separator: ",")) }
        return baseURL + endpoint.rawValue + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    var requestHeaders: [String] {
        ["Authorization: Bearer \(bearerToken.value)", "User-Agent: \(userAgent)"]
    }
}
