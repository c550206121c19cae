import ArgumentParser
import ExampleSupport
import Foundation
import TwitterEmulator
import TwitterSource

/// The X API flags of the examples: the real API when a token is given, else a local emulator.
public struct TwitterConnectionOptions: ParsableArguments {
    @Option(help: "API base URL (default: https://api.x.com when a token is given, else a local emulator).")
    public var baseURL: String?

    @Option(
        help: ArgumentHelp(
            "Read the bearer token from this file (default: the TWITTER_BEARER_TOKEN environment variable).", valueName: "path"))
    public var bearerTokenFile: String?

    @Option(help: "Stream: filtered (posts matching rules) or sample (1% of all posts).")
    public var endpoint: Endpoint = .filtered

    @Option(help: "Keyword or phrase to track (repeatable; v1.1 `track`). Becomes a filtered-stream rule.")
    public var track: [String] = []

    @Option(help: "User id to follow (repeatable; v1.1 `follow`).")
    public var follow: [String] = []

    @Option(help: "Bounding box west,south,east,north to filter on (repeatable; v1.1 `locations`).")
    public var location: [String] = []

    @Option(help: "Emulator only: generated posts per second.")
    public var emulatorRate: Double = 50

    public init() {}

    public func validate() throws {
        try FlagCheck.number(emulatorRate, "--emulator-rate", in: 0...1_000_000)
    }

    public enum Endpoint: String, ExpressibleByArgument, Sendable {
        case filtered, sample
    }

    /// The stream configuration, with the rules synced for the filtered stream, and the
    /// in-process emulator when no token was given (keep it alive while streaming).
    public func connect() throws -> (TwitterStreamConfiguration, TwitterAPIEmulator?) {
        var emulator: TwitterAPIEmulator?
        let token: BearerToken
        let base: String
        if let file = bearerTokenFile {
            token = try BearerToken.fromFile(file)
            base = baseURL ?? "https://api.x.com"
        } else if let fromEnvironment = BearerToken.fromEnvironment() {
            token = fromEnvironment
            base = baseURL ?? "https://api.x.com"
        } else if let baseURL {
            throw ValidationError("--base-url \(baseURL) needs a bearer token: set TWITTER_BEARER_TOKEN or --bearer-token-file")
        } else {
            var options = EmulatorOptions()
            options.rate = emulatorRate
            let started = try TwitterAPIEmulator(options)
            started.start()
            emulator = started
            token = BearerToken(options.bearerToken)
            base = started.baseURL
            FileHandle.standardError.write(
                Data("no TWITTER_BEARER_TOKEN: streaming generated posts from a local emulator at \(base)\n".utf8))
        }
        let configuration = TwitterStreamConfiguration(
            baseURL: base, endpoint: endpoint == .filtered ? .filtered : .sample, bearerToken: token)
        if endpoint == .filtered {
            let report = try StreamRulesClient(configuration).sync(try rules())
            FileHandle.standardError.write(
                Data(
                    "stream rules: \(report.added.count) added, \(report.deleted.count) deleted, \(report.kept.count) kept\n".utf8
                ))
        }
        return (configuration, emulator)
    }

    /// The filtered-stream rules the flags ask for (default: one rule tracking "AI" and friends).
    func rules() throws -> [StreamRule] {
        var rules: [StreamRule] = []
        if !track.isEmpty { rules.append(.track(track, tag: "track")) }
        if !follow.isEmpty { rules.append(.follow(follow, tag: "follow")) }
        if !location.isEmpty {
            let boxes = try location.map { text -> (west: Double, south: Double, east: Double, north: Double) in
                let numbers = text.split(separator: ",").compactMap { Double($0) }
                guard numbers.count == 4 else { throw ValidationError("--location takes west,south,east,north, not '\(text)'") }
                return (numbers[0], numbers[1], numbers[2], numbers[3])
            }
            rules.append(.locations(boxes, tag: "locations"))
        }
        return rules.isEmpty
            ? [.track(["AI", "Data Science", "Machine Learning", "Big Data", "Spark", "Swift"], tag: "default")] : rules
    }
}
