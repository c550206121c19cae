import Foundation
import Locking

/// A local stand-in for the X API v2 streaming endpoints: the filtered and sample streams
/// and the rules endpoints, with a bearer-token check and fault injection. Develop and test
/// against it with no credentials and no network.
public final class TwitterAPIEmulator: Sendable {
    public let options: EmulatorOptions
    private let server: HTTPServer
    private let state: Locked<State>

    private struct State {
        var generator: TweetGenerator
        var cursor = 0
        var produced = 0
        var sent: [String] = []
        var connectionCount = 0
        var rules: [EmulatedRule] = []
        var nextRuleID: UInt64 = 1_273_026_480_692_322_304
        var stopped = false
    }

    public init(_ options: EmulatorOptions = EmulatorOptions()) throws {
        self.options = options
        server = try HTTPServer(host: options.host, port: options.port)
        state = Locked(State(generator: TweetGenerator(seed: options.seed, malformedShare: options.malformedShare)))
    }

    /// `http://HOST:PORT`: the base URL to give clients.
    public var baseURL: String { "http://\(options.host):\(server.port)" }

    /// Starts serving on background threads.
    public func start() {
        server.serve { [self] request, response in handle(request, response) }
    }

    /// Stops serving and closes every connection.
    public func stop() {
        state.withLock { $0.stopped = true }
        server.stop()
    }

    /// The ids of the posts written to clients, in order.
    public var sentPostIDs: [String] { state.withLock { $0.sent } }
    /// Stream connection attempts so far.
    public var connections: Int { state.withLock { $0.connectionCount } }
    /// The rules currently stored.
    public var storedRules: [EmulatedRule] { state.withLock { $0.rules } }

    private func handle(_ request: HTTPRequest, _ response: HTTPResponse) {
        guard request.headers["authorization"] == "Bearer \(options.bearerToken)" else {
            return response.send(
                status: 401, headers: json,
                body: #"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#)
        }
        switch (request.method, request.path) {
        case ("GET", "/2/tweets/search/stream"): stream(filtered: true, request, response)
        case ("GET", "/2/tweets/sample/stream"): stream(filtered: false, request, response)
        case ("GET", "/2/tweets/search/stream/rules"): listRules(response)
        case ("POST", "/2/tweets/search/stream/rules"): changeRules(request, response)
        default:
            response.send(status: 404, headers: json, body: #"{"title":"Not Found Error","detail":"no such endpoint"}"#)
        }
    }

    // MARK: Streams

    private func stream(filtered: Bool, _ request: HTTPRequest, _ response: HTTPResponse) {
        let (connection, noRules) = state.withLock { state in
            state.connectionCount += 1
            return (state.connectionCount, state.rules.isEmpty)
        }
        let faults = options.faults
        if connection <= faults.tooManyConnections {
            return response.send(
                status: 429, headers: json,
                body: GeneratedPost.json([
                    "title": "ConnectionException", "connection_issue": "TooManyConnections",
                    "detail": "This stream is currently at the maximum allowed connection limit.",
                    "type": "https://api.x.com/2/problems/streaming-connection",
                ]))
        }
        if connection <= faults.tooManyConnections + faults.serviceUnavailable {
            return response.send(status: 503, headers: json, body: #"{"title":"Service Unavailable","detail":"try again later"}"#)
        }
        if filtered, noRules, options.requireRules {
            return response.send(
                status: 409, headers: json,
                body: GeneratedPost.json([
                    "title": "ConnectionException", "connection_issue": "RuleConfigurationIssue",
                    "detail": "This stream has no rules. Add rules to the stream before connecting.",
                    "type": "https://api.x.com/2/problems/streaming-connection",
                ]))
        }
        let gzip = faults.gzip && (request.headers["accept-encoding"] ?? "").contains("gzip")
        var headers = json
        headers["x-rate-limit-limit"] = "50"
        headers["x-rate-limit-remaining"] = String(max(0, 50 - connection))
        headers["x-rate-limit-reset"] = String(Int(Date().timeIntervalSince1970) + 900)
        if gzip { headers["Content-Encoding"] = "gzip" }
        guard response.startStream(status: 200, headers: headers) else { return }

        let compressor = gzip ? GzipLineWriter() : nil
        func write(_ line: String) -> Bool {
            let bytes = Array((line + "\r\n").utf8)
            let encoded = compressor?.compress(bytes) ?? bytes
            guard faults.partialChunks else { return response.chunk(encoded) }
            var offset = 0
            while offset < encoded.count {
                let size = min(encoded.count - offset, 1 + (offset * 7 + encoded.count) % 5)
                guard response.chunk(Array(encoded[offset..<offset + size])) else { return false }
                offset += size
            }
            return true
        }

        var postsHere = 0
        var lastWrite = ContinuousClock.now
        let interval = options.rate > 0 ? Duration.milliseconds(Int64(1000 / options.rate)) : .zero
        while !state.withLock({ $0.stopped }) {
            if let limit = faults.disconnectAfter, postsHere >= limit { return }  // bare EOF, no terminating chunk
            if let limit = faults.operationalDisconnectAfter, postsHere >= limit {
                _ = write(
                    GeneratedPost.json([
                        "errors": [
                            [
                                "title": "operational-disconnect", "disconnect_type": "UpstreamOperationalDisconnect",
                                "detail": "This stream has been disconnected upstream for operational reasons.",
                                "type": "https://api.x.com/2/problems/operational-disconnect",
                            ]
                        ]
                    ]))
                return response.endStream()
            }
            if let limit = faults.stallAfter, connection == faults.tooManyConnections + faults.serviceUnavailable + 1,
                postsHere >= limit
            {
                while !state.withLock({ $0.stopped }) { Thread.sleep(forTimeInterval: 0.05) }
                return
            }
            if let (id, line) = nextLine(filtered: filtered) {
                guard write(line) else { return }
                if let id { state.withLock { $0.sent.append(id) } }
                postsHere += 1
                lastWrite = ContinuousClock.now
                if interval > .zero {
                    Thread.sleep(
                        forTimeInterval: Double(interval.components.attoseconds) / 1e18 + Double(interval.components.seconds))
                }
            } else {
                if ContinuousClock.now - lastWrite >= options.keepAliveInterval {
                    guard write("") else { return }
                    lastWrite = ContinuousClock.now
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    /// The next line to send and its post id (nil for malformed lines); nil when no post is due
    /// (none left, or none of the next thousand matched the rules).
    private func nextLine(filtered: Bool) -> (String?, String)? {
        state.withLock { state in
            for _ in 0..<1000 {
                if let maxPosts = options.maxPosts, state.produced >= maxPosts { return nil }
                let post: GeneratedPost
                if let lines = options.lines {
                    guard state.cursor < lines.count else { return nil }
                    let line = lines[state.cursor]
                    state.cursor += 1
                    state.produced += 1
                    guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                        let data = object["data"] as? [String: Any], let text = data["text"] as? String
                    else { return (nil, line) }
                    post = GeneratedPost(id: data["id"] as? String ?? "", malformedLine: line)
                    let matches = filtered ? Self.matchingRules(text, in: state.rules) : []
                    if filtered, matches.isEmpty { continue }
                    return (post.id, line)
                }
                post = state.generator.next()
                state.produced += 1
                if post.malformedLine != nil { return (nil, post.v2JSON()) }
                let matches = filtered ? Self.matchingRules(post.text, in: state.rules) : []
                if filtered, matches.isEmpty { continue }
                return (post.id, post.v2JSON(matchingRules: matches.map { ($0.id, $0.tag) }))
            }
            return nil
        }
    }

    /// Rules that match `text`: every term of one of its OR groups occurs in it,
    /// case-insensitively ("quoted phrases" as phrases, -negated terms absent); operators such
    /// as `lang:` or `has:` are not checked.
    private static func matchingRules(_ text: String, in rules: [EmulatedRule]) -> [EmulatedRule] {
        let lowered = text.lowercased()
        return rules.filter { rule in
            orGroups(rule.value.lowercased()).contains { terms in
                terms.allSatisfy { term in
                    if term.isEmpty || term.contains(":") { return true }
                    if term.hasPrefix("-") { return !lowered.contains(term.dropFirst()) }
                    return lowered.contains(term)
                }
            }
        }
    }

    /// The terms of a rule, grouped by `OR`, with quoted phrases and `[operator arguments]`
    /// kept whole.
    private static func orGroups(_ value: String) -> [[String]] {
        var groups: [[String]] = [[]]
        var term = ""
        var quoted = false
        var bracketed = false
        func flush() {
            let cleaned = term.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            if cleaned == "or" { groups.append([]) } else if !cleaned.isEmpty { groups[groups.count - 1].append(cleaned) }
            term = ""
        }
        for character in value {
            if character == "\"" { quoted.toggle(); continue }
            if character == "[" { bracketed = true }
            if character == "]" { bracketed = false }
            if character == " ", !quoted, !bracketed { flush() } else { term.append(character) }
        }
        flush()
        return groups
    }

    // MARK: Rules

    private func listRules(_ response: HTTPResponse) {
        let current = state.withLock { $0.rules }
        var body: [String: Any] = [
            "meta": ["sent": GeneratedPost.iso8601(Int64(Date().timeIntervalSince1970 * 1000)), "result_count": current.count]
        ]
        if !current.isEmpty { body["data"] = current.map(\.json) }
        response.send(status: 200, headers: json, body: GeneratedPost.json(body))
    }

    private func changeRules(_ request: HTTPRequest, _ response: HTTPResponse) {
        let dryRun = request.query["dry_run"] == "true"
        guard let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] else {
            return response.send(
                status: 400, headers: json, body: #"{"title":"Invalid Request","detail":"the body is not JSON"}"#)
        }
        let sentAt = GeneratedPost.iso8601(Int64(Date().timeIntervalSince1970 * 1000))
        if let add = body["add"] as? [[String: Any]] {
            var created: [EmulatedRule] = [], errors: [[String: Any]] = []
            state.withLock { state in
                var known = Set(state.rules.map(\.value))
                for entry in add {
                    let value = entry["value"] as? String ?? ""
                    if let problem = EmulatedRule.problem(with: value) {
                        errors.append([
                            "value": value, "title": "Invalid Rule", "details": [problem],
                            "type": "https://api.x.com/2/problems/invalid-rules",
                        ])
                    } else if known.contains(value) {
                        errors.append([
                            "value": value, "title": "DuplicateRule", "id": state.rules.first { $0.value == value }?.id ?? "",
                            "type": "https://api.x.com/2/problems/duplicate-rules",
                        ])
                    } else {
                        known.insert(value)
                        state.nextRuleID += 1
                        created.append(EmulatedRule(id: String(state.nextRuleID), value: value, tag: entry["tag"] as? String))
                    }
                }
                if !dryRun { state.rules += created }
            }
            var answer: [String: Any] = [
                "meta": [
                    "sent": sentAt,
                    "summary": [
                        "created": created.count, "not_created": add.count - created.count,
                        "valid": created.count, "invalid": add.count - created.count,
                    ],
                ]
            ]
            if !created.isEmpty { answer["data"] = created.map(\.json) }
            if !errors.isEmpty { answer["errors"] = errors }
            return response.send(status: 201, headers: json, body: GeneratedPost.json(answer))
        }
        if let delete = body["delete"] as? [String: Any], let ids = delete["ids"] as? [String] {
            let deleted = state.withLock { state in
                let before = state.rules.count
                if !dryRun { state.rules.removeAll { ids.contains($0.id) } }
                return dryRun ? state.rules.filter { ids.contains($0.id) }.count : before - state.rules.count
            }
            return response.send(
                status: 200, headers: json,
                body: GeneratedPost.json([
                    "meta": [
                        "sent": sentAt,
                        "summary": [
                            "deleted": deleted, "not_deleted": ids.count - deleted,
                        ],
                    ]
                ]))
        }
        response.send(
            status: 400, headers: json, body: #"{"title":"Invalid Request","detail":"expected exactly one of add or delete"}"#)
    }

    private var json: [String: String] { ["Content-Type": "application/json"] }
}

/// A stream rule as the emulator stores it.
public struct EmulatedRule: Sendable, Equatable {
    public var id: String
    public var value: String
    public var tag: String?

    var json: [String: Any] { ["id": id, "value": value].merging(tag.map { ["tag": $0] } ?? [:]) { _, new in new } }

    /// Why the API would refuse `value`, if it would.
    static func problem(with value: String) -> String? {
        if value.trimmingCharacters(in: .whitespaces).isEmpty { return "the rule is empty" }
        if value.count > 512 { return "the rule is longer than 512 characters" }
        var depth = 0
        for character in value {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 { return "unbalanced parentheses" }
        }
        if depth != 0 { return "unbalanced parentheses" }
        if value.filter({ $0 == "\"" }).count % 2 == 1 { return "unbalanced quotes" }
        return nil
    }
}
