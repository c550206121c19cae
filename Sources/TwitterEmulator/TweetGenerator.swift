import Foundation

/// Deterministic, realistic posts: authors with skewed activity, Zipf-distributed hashtags, a
/// topic split like tutorial 003 (Data Science / AI / Machine Learning / Big Data against
/// generic chatter), mentions, links, retweets, sentiment words, several languages and
/// increasing times; optionally a share of malformed lines.
public struct TweetGenerator: Sendable {
    private var state: UInt64
    private var nextID: UInt64 = 1_790_000_000_000_000_001
    private var time: Int64
    private let malformedShare: Double

    private static let dataTopics = ["Data Science", "AI", "Machine Learning", "Big Data"]
    private static let dataTags = [
        "AI", "MachineLearning", "DataScience", "BigData", "DeepLearning", "Spark", "Python", "SwiftLang",
    ]
    private static let chatterTags = [
        "monday", "coffee", "music", "football", "travel", "food", "weekend", "news", "photography", "gaming",
    ]
    private static let words: [String: [String]] = [
        "en": [
            "just", "shipped", "the", "new", "model", "today", "with", "my", "team", "reading", "about", "pipeline", "streaming",
            "weather", "lunch", "morning", "match", "album", "trip", "city",
        ],
        "es": ["hoy", "nuevo", "equipo", "datos", "modelo", "con", "mi", "ciudad", "partido", "música"],
        "fr": ["aujourd'hui", "nouveau", "équipe", "données", "modèle", "avec", "mon", "été", "ville", "musique"],
        "de": ["heute", "neues", "Team", "Daten", "Modell", "mit", "meinem", "Stadt", "Spiel", "Musik"],
        "ja": ["今日", "新しい", "データ", "モデル", "チーム", "音楽", "東京", "試合"],
    ]
    private static let sentiment = ["love", "great", "amazing", "happy", "awful", "hate", "terrible", "sad", "okay", "fine"]
    private static let domains = [
        "example.org", "blog.example.com", "news.example.net", "arxiv.example.org", "video.example.com",
        "github.com", "www.apache.org", "blog.confluent.io",
    ]

    /// - Parameters:
    ///   - seed: the same seed gives the same posts.
    ///   - start: `created_at` of the first post, in milliseconds since the epoch.
    ///   - malformedShare: fraction of lines that are broken JSON (for testing error handling).
    public init(seed: UInt64 = 42, start: Int64 = 1_715_624_525_000, malformedShare: Double = 0) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        time = start
        self.malformedShare = malformedShare
    }

    /// The next post, or a malformed line.
    public mutating func next() -> GeneratedPost {
        let id = String(nextID)
        nextID += 1
        time += Int64(random() % 2000)
        if malformedShare > 0, Double(random() % 10_000) / 10_000 < malformedShare {
            return GeneratedPost(id: id, malformedLine: "{\"data\":{\"id\":\"\(id)\",\"text\":\"truncated")
        }
        let author = zipf(1000)
        let isData = random() % 10 < 3
        let language = ["en", "en", "en", "en", "en", "en", "en", "es", "fr", "de", "ja"][Int(random() % 11)]
        let vocabulary = Self.words[language]!
        var parts = (0..<(4 + Int(random() % 8))).map { _ in vocabulary[Int(random() % UInt64(vocabulary.count))] }
        parts.insert(Self.sentiment[Int(random() % UInt64(Self.sentiment.count))], at: Int(random() % UInt64(parts.count)))
        if isData { parts.insert(Self.dataTopics[Int(random() % 4)], at: Int(random() % UInt64(parts.count))) }
        var mentions: [String] = []
        if random() % 4 == 0 {
            mentions.append("user\(zipf(1000))")
            parts.insert("@" + mentions[0], at: 0)
        }
        var hashtags: [String] = []
        let tags = isData ? Self.dataTags : Self.chatterTags
        for _ in 0..<Int(random() % 3) {
            let tag = tags[min(tags.count - 1, zipf(tags.count) - 1)]
            if !hashtags.contains(tag) { hashtags.append(tag) }
        }
        parts += hashtags.map { "#" + $0 }
        var urls: [(String, String)] = []
        if random() % 5 == 0 {
            let short = "https://t.co/" + String(random() % 60_466_176, radix: 36)
            urls.append((short, "https://\(Self.domains[Int(random() % UInt64(Self.domains.count))])/\(random() % 10_000)"))
            parts.append(short)
        }
        var text = parts.joined(separator: " ")
        var retweetOf: String?
        if random() % 7 == 0, nextID > 1_790_000_000_000_000_010 {
            retweetOf = String(nextID - 1 - random() % 8)
            text = "RT @user\(zipf(1000)): " + text
        }
        return GeneratedPost(
            id: id, text: text, authorID: String(2_244_994_945 + author), username: "user\(author)", createdAt: time,
            language: language, hashtags: hashtags, mentions: mentions, urls: urls, retweetOf: retweetOf, isAboutData: isData)
    }

    private mutating func random() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// A rank in 1…n, rank k with probability ∝ 1/k.
    private mutating func zipf(_ n: Int) -> Int {
        let harmonic = (1...n).reduce(0.0) { $0 + 1 / Double($1) }
        var target = Double(random() % 1_000_000) / 1_000_000 * harmonic
        for k in 1...n {
            target -= 1 / Double(k)
            if target <= 0 { return k }
        }
        return n
    }
}

/// Generated posts as archived v1.1 JSON lines, the shape tutorial 002 reads from Kafka.
public struct GeneratedStatuses: IteratorProtocol, Sendable {
    private var generator: TweetGenerator

    public init(_ generator: TweetGenerator) {
        self.generator = generator
    }

    public mutating func next() -> String? { generator.next().v1JSON() }
}

/// One generated post, renderable as X API v2 or v1.1 JSON.
public struct GeneratedPost: Sendable {
    public var id: String
    public var text = ""
    public var authorID = ""
    public var username = ""
    public var createdAt: Int64 = 0
    public var language = "en"
    public var hashtags: [String] = []
    public var mentions: [String] = []
    public var urls: [(short: String, expanded: String)] = []
    public var retweetOf: String?
    /// Whether the post is about Data Science / AI / Machine Learning / Big Data.
    public var isAboutData = false
    /// For a deliberately broken line: the line itself.
    public var malformedLine: String?

    init(id: String, malformedLine: String) {
        self.id = id
        self.malformedLine = malformedLine
    }

    init(
        id: String, text: String, authorID: String, username: String, createdAt: Int64, language: String, hashtags: [String],
        mentions: [String], urls: [(String, String)], retweetOf: String?, isAboutData: Bool
    ) {
        self.id = id
        self.text = text
        self.authorID = authorID
        self.username = username
        self.createdAt = createdAt
        self.language = language
        self.hashtags = hashtags
        self.mentions = mentions
        self.urls = urls.map { (short: $0.0, expanded: $0.1) }
        self.retweetOf = retweetOf
        self.isAboutData = isAboutData
    }

    /// A v2 stream message: `{"data":…,"includes":{"users":…},"matching_rules":…}`.
    public func v2JSON(matchingRules: [(id: String, tag: String?)] = []) -> String {
        if let malformedLine { return malformedLine }
        var data: [String: Any] = [
            "id": id, "text": text, "author_id": authorID, "lang": language,
            "created_at": Self.iso8601(createdAt),
            "entities": [
                "hashtags": hashtags.map { tag in ["tag": tag] + offsets(of: "#" + tag) },
                "mentions": mentions.map { name in ["username": name] + offsets(of: "@" + name) },
                "urls": urls.map { url in ["url": url.short, "expanded_url": url.expanded] + offsets(of: url.short) },
            ],
        ]
        if let retweetOf { data["referenced_tweets"] = [["type": "retweeted", "id": retweetOf]] }
        var message: [String: Any] = [
            "data": data, "includes": ["users": [["id": authorID, "username": username, "name": username]]],
        ]
        if !matchingRules.isEmpty {
            message["matching_rules"] = matchingRules.map { rule in ["id": rule.id] + (rule.tag.map { ["tag": $0] } ?? [:]) }
        }
        return Self.json(message)
    }

    /// An archived v1.1 status, as the tutorials parsed them.
    public func v1JSON() -> String {
        if let malformedLine { return malformedLine }
        var status: [String: Any] = [
            "id_str": id, "text": text, "lang": language, "timestamp_ms": String(createdAt), "truncated": false,
            "created_at": Self.v1Date(createdAt),
            "user": ["id_str": authorID, "screen_name": username, "name": username],
            "entities": [
                "hashtags": hashtags.map { ["text": $0] },
                "user_mentions": mentions.map { ["screen_name": $0] },
                "urls": urls.map { ["url": $0.short, "expanded_url": $0.expanded] },
            ],
        ]
        if let retweetOf { status["retweeted_status"] = ["id_str": retweetOf] }
        return Self.json(status)
    }

    private func offsets(of token: String) -> [String: Any] {
        guard let range = text.range(of: token) else { return [:] }
        let start = text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
        return ["start": start, "end": start + token.unicodeScalars.count]
    }

    static func json(_ object: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func iso8601(_ milliseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
            Int(milliseconds % 1000))
    }

    static func v1Date(_ milliseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@ %@ %02d %02d:%02d:%02d +0000 %04d", days[c.weekday! - 1], months[c.month! - 1], c.day!, c.hour!,
            c.minute!, c.second!, c.year!)
    }
}

extension Dictionary where Key == String, Value == Any {
    fileprivate static func + (lhs: [String: Any], rhs: [String: Any]) -> [String: Any] {
        lhs.merging(rhs) { _, new in new }
    }
}
