import StreamCore
import TwitterSource

/// Where a record left the router: the first rule it failed, or `routed`.
public enum RoutingStage: String, CaseIterable, Sendable {
    /// Not JSON.
    case malformed
    /// JSON, but no tweet (a delete or limit notice).
    case notATweet = "not_a_tweet"
    /// A retweet (`retweeted_status`, or a text starting with `RT @`).
    case retweet
    /// No term in the lowercased text.
    case noTerm = "no_term"
    /// No link to a whitelisted domain.
    case noWhitelistedURL = "no_whitelisted_url"
    /// Sent to the output topic.
    case routed
}

/// One record's way through the router.
public struct RoutingDecision: Sendable {
    /// The record as it arrived: what the router forwards.
    public var record: String
    public var stage: RoutingStage
    /// The decoded tweet, when the record is one.
    public var tweet: Tweet?
    /// The terms the text contains (for tweets that got past `noTerm`), in the rules' order.
    public var terms: [String]
}

/// The router's filters: terms to look for and domains whose links qualify a tweet.
public struct RoutingRules: Sendable {
    /// Matched as substrings of the lowercased text.
    public let terms: [String]
    /// A link qualifies when its host, lowercased and without a leading `www.`, is a domain or a subdomain of one.
    public let domains: [String]

    public init(terms: [String], domains: [String]) {
        self.terms = terms.map { $0.lowercased() }
        self.domains = domains.map { $0.lowercased() }
    }

    /// Classifies a record at the first rule it fails.
    public func classify(_ record: String) -> RoutingDecision {
        let tweet: Tweet
        do {
            tweet = try Tweet(record: record)
        } catch {
            return RoutingDecision(
                record: record, stage: error.kind == "malformed" ? .malformed : .notATweet, tweet: nil, terms: [])
        }
        var decision = RoutingDecision(record: record, stage: .routed, tweet: tweet, terms: [])
        if tweet.isRetweet || tweet.text.utf8.starts(with: "RT @".utf8) {
            decision.stage = .retweet
            return decision
        }
        let text = Array(tweet.text.lowercased().utf8)
        decision.terms = terms.filter { text.contains(bytes: $0.utf8) }
        if decision.terms.isEmpty {
            decision.stage = .noTerm
        } else if !tweet.urls.contains(where: isWhitelisted) {
            decision.stage = .noWhitelistedURL
        }
        return decision
    }

    /// Whether the link's host is a whitelisted domain or one of its subdomains.
    public func isWhitelisted(_ url: String) -> Bool {
        guard var host = URLHost.of(url) else { return false }
        if host.hasPrefix("www.") { host.removeFirst(4) }
        return domains.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle`'s bytes occur contiguously (code-point substring search, as Python's `in`).
    func contains(bytes needle: String.UTF8View) -> Bool {
        let needle = Array(needle)
        guard !needle.isEmpty else { return true }
        guard needle.count <= count else { return false }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if self[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}
