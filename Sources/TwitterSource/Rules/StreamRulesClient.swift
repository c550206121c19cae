import Foundation

/// The filtered stream's rules endpoints. Rules persist on the server between connections,
/// so `sync` makes the server's rule set equal to the wanted one instead of blindly adding.
public struct StreamRulesClient: Sendable {
    public let configuration: TwitterStreamConfiguration

    public init(_ configuration: TwitterStreamConfiguration) {
        self.configuration = configuration
    }

    /// What `sync` changed.
    public struct SyncReport: Sendable, Equatable {
        public var added: [StreamRule] = []
        public var deleted: [StreamRule] = []
        public var kept: [StreamRule] = []
    }

    /// The rules stored on the server.
    public func rules() throws -> [StreamRule] {
        let object = try request("GET", body: nil)
        return (object["data"] as? [[String: Any]] ?? []).compactMap(Self.rule)
    }

    /// Adds rules. With `dryRun` the server only validates them.
    /// - Throws: `TwitterStreamError.rules` listing every invalid or duplicate rule.
    @discardableResult
    public func add(_ rules: [StreamRule], dryRun: Bool = false) throws -> [StreamRule] {
        guard !rules.isEmpty else { return [] }
        let add = rules.map { rule -> [String: Any] in
            var entry: [String: Any] = ["value": rule.value]
            if let tag = rule.tag { entry["tag"] = tag }
            return entry
        }
        let object = try request("POST", body: ["add": add], dryRun: dryRun)
        if let errors = object["errors"] as? [[String: Any]], !errors.isEmpty {
            let problems = errors.map { error -> String in
                let kind = ((error["type"] as? String).flatMap { URL(string: $0)?.lastPathComponent }) ?? "error"
                let details = (error["details"] as? [String])?.joined(separator: "; ") ?? (error["title"] as? String ?? "")
                return "\(kind): '\(error["value"] as? String ?? "")' \(details)"
            }
            throw TwitterStreamError.rules(problems.joined(separator: "; "))
        }
        return (object["data"] as? [[String: Any]] ?? []).compactMap(Self.rule)
    }

    /// Deletes rules by id.
    public func delete(ids: [String], dryRun: Bool = false) throws {
        guard !ids.isEmpty else { return }
        _ = try request("POST", body: ["delete": ["ids": ids]], dryRun: dryRun)
    }

    /// Makes the server's rules equal to `wanted` (matched by value and tag): deletes the
    /// others, adds what is missing, keeps the rest.
    /// - Throws: `TwitterStreamError.rules` if a wanted rule is invalid; nothing is deleted then.
    @discardableResult
    public func sync(_ wanted: [StreamRule]) throws -> SyncReport {
        let current = try rules()
        func same(_ a: StreamRule, _ b: StreamRule) -> Bool { a.value == b.value && a.tag == b.tag }
        let missing = wanted.filter { rule in !current.contains { same($0, rule) } }
        try add(missing, dryRun: true)
        var report = SyncReport()
        report.deleted = current.filter { rule in !wanted.contains { same($0, rule) } }
        report.kept = current.filter { rule in wanted.contains { same($0, rule) } }
        try delete(ids: report.deleted.compactMap(\.id))
        report.added = try add(missing)
        return report
    }

    private static func rule(_ object: [String: Any]) -> StreamRule? {
        guard let value = object["value"] as? String else { return nil }
        return StreamRule(value, tag: object["tag"] as? String, id: object["id"] as? String)
    }

    private func request(_ method: String, body: [String: Any]?, dryRun: Bool = false) throws -> [String: Any] {
        let transfer = CurlTransfer(
            url: configuration.baseURL + "/2/tweets/search/stream/rules" + (dryRun ? "?dry_run=true" : ""))
        transfer.method = method
        transfer.headers = configuration.requestHeaders + (body == nil ? [] : ["Content-Type: application/json"])
        transfer.body = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        var status = 0
        var bytes: [UInt8] = []
        let end = transfer.perform(onHead: { status = $0.status }, onData: { bytes += $0 }, isCancelled: { false })
        if case .failed(let message) = end { throw TwitterStreamError.rules("cannot reach \(configuration.baseURL): \(message)") }
        let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
        guard (200..<300).contains(status) else {
            let detail = (object["detail"] ?? object["title"]) as? String ?? "no detail"
            let fix = status == 401 ? " (the bearer token was refused: check TWITTER_BEARER_TOKEN)" : ""
            throw TwitterStreamError.rules("HTTP \(status): \(detail)\(fix)")
        }
        return object
    }
}
