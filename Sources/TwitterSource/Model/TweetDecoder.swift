import Foundation

/// Decodes stream lines: X API v2 post messages and error lines, and archived v1.1 statuses
/// and control messages.
public enum TweetDecoder {
    /// Decodes one line (without its line ending).
    public static func decode(_ line: String) -> StreamMessage {
        if line.allSatisfy(\.isWhitespace) { return .keepAlive }
        guard let json = jsonValue(line) else { return .malformed(reason: "not valid JSON") }
        return decode(json: json)
    }

    /// The line parsed as JSON, or nil when it is not valid JSON.
    static func jsonValue(_ line: String) -> Any? {
        var line = line
        return line.withUTF8 { bytes in
            try? JSONSerialization.jsonObject(with: Data(buffer: bytes), options: [.fragmentsAllowed])
        }
    }

    /// Decodes a parsed JSON line.
    static func decode(json: Any) -> StreamMessage {
        guard let object = json as? [String: Any] else { return .malformed(reason: "not a JSON object") }
        if let data = object["data"] as? [String: Any] { return decodeV2(data, object) }
        if let errors = object["errors"] as? [[String: Any]] { return decodeErrors(errors) }
        for kind in ["delete", "limit", "warning", "scrub_geo", "status_withheld", "user_withheld"] where object[kind] != nil {
            return .notice(kind: kind, detail: compact(object[kind]))
        }
        if let disconnect = object["disconnect"] as? [String: Any] {
            return .disconnect(type: "\(disconnect["code"] ?? "")", detail: disconnect["reason"] as? String ?? "")
        }
        if object["id_str"] != nil || object["text"] != nil || object["full_text"] != nil { return decodeV1(object) }
        return .malformed(reason: "unknown message shape (keys: \(object.keys.sorted().prefix(6).joined(separator: ", ")))")
    }

    private static func decodeV2(_ data: [String: Any], _ message: [String: Any]) -> StreamMessage {
        guard let id = data["id"] as? String, let text = data["text"] as? String else {
            return .malformed(reason: "v2 post without id or text")
        }
        let entities = data["entities"] as? [String: Any] ?? [:]
        let authorID = data["author_id"] as? String
        let users = (message["includes"] as? [String: Any])?["users"] as? [[String: Any]] ?? []
        let author = users.first { $0["id"] as? String == authorID }
        let geo = data["geo"] as? [String: Any]
        let point = (geo?["coordinates"] as? [String: Any])?["coordinates"] as? [Double]
        let retweet = (data["referenced_tweets"] as? [[String: Any]] ?? []).first { $0["type"] as? String == "retweeted" }
        return .tweet(Tweet(
            id: id,
            text: (data["note_tweet"] as? [String: Any])?["text"] as? String ?? text,
            authorID: authorID,
            username: author?["username"] as? String,
            createdAt: (data["created_at"] as? String).flatMap(Timestamps.iso8601),
            language: data["lang"] as? String,
            hashtags: strings(entities["hashtags"], "tag"),
            mentions: strings(entities["mentions"], "username"),
            urls: (entities["urls"] as? [[String: Any]] ?? []).compactMap { ($0["expanded_url"] ?? $0["url"]) as? String },
            retweetOf: retweet?["id"] as? String,
            coordinates: point.flatMap { $0.count == 2 ? Tweet.Coordinates(longitude: $0[0], latitude: $0[1]) : nil },
            placeID: geo?["place_id"] as? String,
            matchingRules: (message["matching_rules"] as? [[String: Any]] ?? []).compactMap { rule in
                (rule["id"] as? String).map { Tweet.MatchingRule(id: $0, tag: rule["tag"] as? String) }
            },
            format: .v2))
    }

    private static func decodeV1(_ status: [String: Any]) -> StreamMessage {
        guard let id = (status["id_str"] as? String) ?? (status["id"] as? NSNumber).map({ $0.stringValue }) else {
            return .malformed(reason: "v1.1 status without id")
        }
        let extended = status["extended_tweet"] as? [String: Any]
        guard let text = (extended?["full_text"] ?? status["full_text"] ?? status["text"]) as? String else {
            return .malformed(reason: "v1.1 status without text")
        }
        let entities = (extended?["entities"] ?? status["entities"]) as? [String: Any] ?? [:]
        let user = status["user"] as? [String: Any]
        let point = (status["coordinates"] as? [String: Any])?["coordinates"] as? [Double]
        let created = (status["timestamp_ms"] as? String).flatMap { Int64($0) }
            ?? (status["created_at"] as? String).flatMap(Timestamps.v1)
        return .tweet(Tweet(
            id: id,
            text: text,
            authorID: user?["id_str"] as? String,
            username: user?["screen_name"] as? String,
            createdAt: created,
            language: status["lang"] as? String,
            hashtags: strings(entities["hashtags"], "text"),
            mentions: strings(entities["user_mentions"], "screen_name"),
            urls: (entities["urls"] as? [[String: Any]] ?? []).compactMap { ($0["expanded_url"] ?? $0["url"]) as? String },
            retweetOf: (status["retweeted_status"] as? [String: Any])?["id_str"] as? String,
            coordinates: point.flatMap { $0.count == 2 ? Tweet.Coordinates(longitude: $0[0], latitude: $0[1]) : nil },
            placeID: (status["place"] as? [String: Any])?["id"] as? String,
            format: .v1))
    }

    private static func decodeErrors(_ errors: [[String: Any]]) -> StreamMessage {
        let first = errors.first ?? [:]
        let detail = (first["detail"] ?? first["message"] ?? first["title"]) as? String ?? ""
        if let type = first["disconnect_type"] as? String { return .disconnect(type: type, detail: detail) }
        let problem = (first["type"] as? String).flatMap { URL(string: $0)?.path } ?? (first["title"] as? String ?? "error")
        return .notice(kind: problem, detail: detail)
    }

    private static func strings(_ list: Any?, _ key: String) -> [String] {
        (list as? [[String: Any]] ?? []).compactMap { $0[key] as? String }
    }

    private static func compact(_ value: Any?) -> String {
        guard let value, JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        else { return "\(value ?? "")" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The two timestamp forms of the API, parsed without (non-Sendable) date formatters.
enum Timestamps {
    /// `2024-05-13T18:22:05.000Z` → milliseconds since the epoch.
    static func iso8601(_ text: String) -> Int64? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard digits.count >= 6 else { return nil }
        let millis = digits.count >= 7 ? digits[6] : 0
        return epochMilliseconds(digits[0], digits[1], digits[2], digits[3], digits[4], digits[5], millis)
    }

    /// `Mon May 13 18:22:05 +0000 2024` → milliseconds since the epoch.
    static func v1(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, let month = months.firstIndex(of: String(parts[1])), let day = Int(parts[2]),
              let year = Int(parts[5]), parts[4].count == 5, let offset = Int(parts[4].dropFirst())
        else { return nil }
        let clock = parts[3].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, let utc = epochMilliseconds(year, month + 1, day, clock[0], clock[1], clock[2], 0) else { return nil }
        let sign: Int64 = parts[4].first == "-" ? -1 : 1
        return utc - sign * Int64(offset / 100 * 3600 + offset % 100 * 60) * 1000
    }

    /// Days from the civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
    private static func epochMilliseconds(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int, _ s: Int, _ ms: Int) -> Int64? {
        guard (1...12).contains(m), (1...31).contains(d) else { return nil }
        let year = m <= 2 ? y - 1 : y
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = Int64(era * 146_097 + dayOfEra - 719_468)
        return ((days * 24 + Int64(h)) * 60 + Int64(min)) * 60_000 + Int64(s) * 1000 + Int64(ms)
    }
}
