import Foundation

/// Decodes stream lines: X API v2 post messages and error lines, and archived v1.1 statuses
/// and control messages.
public enum TweetDecoder {
    /// Decodes one line (without its line ending).
    public static func decode(_ line: String) -> StreamMessage {
        if line.allSatisfy(\.isWhitespace) { return .keepAlive }
        guard let json = JSON.parse(line) else { return .malformed(reason: "not valid JSON") }
        return decode(json: json)
    }

    /// Decodes a parsed JSON line.
    static func decode(json object: JSON) -> StreamMessage {
        guard object.isObject else { return .malformed(reason: "not a JSON object") }
        if let data = object["data"], data.isObject { return decodeV2(data, object) }
        if let errors = object["errors"]?.array { return decodeErrors(errors) }
        for kind in ["delete", "limit", "warning", "scrub_geo", "status_withheld", "user_withheld"] {
            if let notice = object[kind] { return .notice(kind: kind, detail: notice.compactText) }
        }
        if let disconnect = object["disconnect"], disconnect.isObject {
            let code = disconnect["code"].map { $0.string ?? $0.compactText } ?? ""
            return .disconnect(type: code, detail: disconnect["reason"]?.string ?? "")
        }
        if object["id_str"] != nil || object["text"] != nil || object["full_text"] != nil { return decodeV1(object) }
        return .malformed(reason: "unknown message shape (keys: \(object.keys.sorted().prefix(6).joined(separator: ", ")))")
    }

    private static func decodeV2(_ data: JSON, _ message: JSON) -> StreamMessage {
        guard let id = data["id"]?.string, let text = data["text"]?.string else {
            return .malformed(reason: "v2 post without id or text")
        }
        let entities = data["entities"]
        let authorID = data["author_id"]?.string
        let users = message["includes"]?["users"]?.array ?? []
        let author = users.first { $0["id"]?.string == authorID }
        let geo = data["geo"]
        let point = geo?["coordinates"]?["coordinates"]?.array?.compactMap(\.double)
        let retweet = (data["referenced_tweets"]?.array ?? []).first { $0["type"]?.string == "retweeted" }
        return .tweet(
            Tweet(
                id: id,
                text: data["note_tweet"]?["text"]?.string ?? text,
                authorID: authorID,
                username: author?["username"]?.string,
                createdAt: data["created_at"]?.string.flatMap(Timestamps.iso8601),
                language: data["lang"]?.string,
                hashtags: strings(entities?["hashtags"], "tag"),
                mentions: strings(entities?["mentions"], "username"),
                urls: links(entities?["urls"]),
                retweetOf: retweet?["id"]?.string,
                coordinates: point.flatMap { $0.count == 2 ? Tweet.Coordinates(longitude: $0[0], latitude: $0[1]) : nil },
                placeID: geo?["place_id"]?.string,
                matchingRules: (message["matching_rules"]?.array ?? []).compactMap { rule in
                    rule["id"]?.string.map { Tweet.MatchingRule(id: $0, tag: rule["tag"]?.string) }
                },
                format: .v2))
    }

    private static func decodeV1(_ status: JSON) -> StreamMessage {
        guard let id = status["id_str"]?.string ?? status["id"]?.integerText else {
            return .malformed(reason: "v1.1 status without id")
        }
        let extended = status["extended_tweet"]
        guard let text = (extended?["full_text"] ?? status["full_text"] ?? status["text"])?.string else {
            return .malformed(reason: "v1.1 status without text")
        }
        let entities = extended?["entities"] ?? status["entities"]
        let user = status["user"]
        let point = status["coordinates"]?["coordinates"]?.array?.compactMap(\.double)
        let created =
            status["timestamp_ms"]?.string.flatMap { Int64($0) }
            ?? status["created_at"]?.string.flatMap(Timestamps.v1)
        return .tweet(
            Tweet(
                id: id,
                text: text,
                authorID: user?["id_str"]?.string,
                username: user?["screen_name"]?.string,
                createdAt: created,
                language: status["lang"]?.string,
                hashtags: strings(entities?["hashtags"], "text"),
                mentions: strings(entities?["user_mentions"], "screen_name"),
                urls: links(entities?["urls"]),
                retweetOf: status["retweeted_status"].map { $0["id_str"]?.string ?? "" },
                coordinates: point.flatMap { $0.count == 2 ? Tweet.Coordinates(longitude: $0[0], latitude: $0[1]) : nil },
                placeID: status["place"]?["id"]?.string,
                format: .v1))
    }

    private static func decodeErrors(_ errors: [JSON]) -> StreamMessage {
        let first = errors.first ?? .object([])
        let detail = (first["detail"] ?? first["message"] ?? first["title"])?.string ?? ""
        if let type = first["disconnect_type"]?.string { return .disconnect(type: type, detail: detail) }
        let problem = first["type"]?.string.flatMap { URL(string: $0)?.path } ?? (first["title"]?.string ?? "error")
        return .notice(kind: problem, detail: detail)
    }

    private static func strings(_ list: JSON?, _ key: String) -> [String] {
        (list?.array ?? []).compactMap { $0[key]?.string }
    }

    /// Links, expanded when the API gives the expansion.
    private static func links(_ list: JSON?) -> [String] {
        (list?.array ?? []).compactMap { ($0["expanded_url"]?.string ?? $0["url"]?.string) }
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
        guard clock.count == 3, let utc = epochMilliseconds(year, month + 1, day, clock[0], clock[1], clock[2], 0) else {
            return nil
        }
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
