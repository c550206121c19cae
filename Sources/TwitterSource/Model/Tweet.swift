import Foundation

/// A post, decoded from the X API v2 stream or from archived v1.1 JSON into one shape.
public struct Tweet: Sendable, Codable, Hashable {
    /// Which API shape the post came in.
    public enum Format: String, Sendable, Codable {
        case v2, v1
    }

    /// A point, longitude first as the API sends it.
    public struct Coordinates: Sendable, Codable, Hashable {
        public var longitude: Double
        public var latitude: Double
    }

    /// A filtered-stream rule the post matched.
    public struct MatchingRule: Sendable, Codable, Hashable {
        public var id: String
        public var tag: String?
    }

    public var id: String
    /// The full text: `note_tweet.text` (v2) or `extended_tweet.full_text` (v1.1) when present.
    public var text: String
    public var authorID: String?
    /// The author's handle, from `includes.users` (v2) or `user.screen_name` (v1.1).
    public var username: String?
    /// Milliseconds since the Unix epoch.
    public var createdAt: Int64?
    public var language: String?
    /// Hashtags without `#`.
    public var hashtags: [String]
    /// Mentioned handles without `@`.
    public var mentions: [String]
    /// Links, expanded when the API gives the expansion.
    public var urls: [String]
    /// The id of the retweeted post, for retweets.
    public var retweetOf: String?
    public var coordinates: Coordinates?
    public var placeID: String?
    public var matchingRules: [MatchingRule]
    public var format: Format

    public init(
        id: String, text: String, authorID: String? = nil, username: String? = nil, createdAt: Int64? = nil,
        language: String? = nil, hashtags: [String] = [], mentions: [String] = [], urls: [String] = [],
        retweetOf: String? = nil, coordinates: Coordinates? = nil, placeID: String? = nil,
        matchingRules: [MatchingRule] = [], format: Format = .v2
    ) {
        self.id = id
        self.text = text
        self.authorID = authorID
        self.username = username
        self.createdAt = createdAt
        self.language = language
        self.hashtags = hashtags
        self.mentions = mentions
        self.urls = urls
        self.retweetOf = retweetOf
        self.coordinates = coordinates
        self.placeID = placeID
        self.matchingRules = matchingRules
        self.format = format
    }

    /// Whether the post is a retweet.
    public var isRetweet: Bool { retweetOf != nil }
}

/// One line of a stream, decoded.
public enum StreamMessage: Sendable {
    case tweet(Tweet)
    /// A blank line, sent at least every 20 s.
    case keepAlive
    /// The server is about to close the connection (v2 `errors` with `disconnect_type`, v1.1 `disconnect`).
    case disconnect(type: String, detail: String)
    /// Anything else that is not a post: v1.1 `delete`, `limit`, `warning`, `scrub_geo`; v2 errors without a disconnect.
    case notice(kind: String, detail: String)
    /// A line that is not valid JSON or not a known shape; never silently dropped.
    case malformed(reason: String)
}
