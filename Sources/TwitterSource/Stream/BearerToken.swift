import Foundation

/// An X API app token. It is sent only in the `Authorization` header: `description` and every
/// error show `<redacted>` instead.
public struct BearerToken: Sendable, CustomStringConvertible {
    let value: String

    public init(_ value: String) {
        self.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The token in `TWITTER_BEARER_TOKEN` (or another variable), if set and not empty.
    public static func fromEnvironment(_ variable: String = "TWITTER_BEARER_TOKEN") -> BearerToken? {
        ProcessInfo.processInfo.environment[variable].map(BearerToken.init).flatMap { $0.value.isEmpty ? nil : $0 }
    }

    /// The token in a file (its first line), which keeps it off command lines and out of shell history.
    /// - Throws: `TwitterStreamError.invalidSetting` naming the file (never its contents).
    public static func fromFile(_ path: String) throws -> BearerToken {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first, !line.isEmpty
        else { throw TwitterStreamError.invalidSetting("cannot read a bearer token from \(path)") }
        return BearerToken(String(line))
    }

    public var description: String { "<redacted>" }
}
