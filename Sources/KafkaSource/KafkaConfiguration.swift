import Foundation

/// How to reach a Kafka cluster: bootstrap servers, a consumer group, and any librdkafka
/// property (`security.protocol`, `sasl.*`, `ssl.*`, …) passed through unchanged.
///
/// - Important: Values of secret properties (passwords, keys, secrets, tokens) never appear
///   in `description`, logs or errors.
public struct KafkaConfiguration: Sendable, CustomStringConvertible {
    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var bootstrapServers: String
    /// `group.id`: needed to start from or commit to a consumer group.
    public var groupID: String?
    /// Any other librdkafka property, by its librdkafka name.
    public var properties: [String: String]

    public init(bootstrapServers: String, groupID: String? = nil, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.properties = properties
    }

    /// Adds the `key=value` lines of a properties file (`#` and `!` start comments), as
    /// Kafka's command-line tools read them; keeps credentials out of code and command lines.
    /// - Throws: `KafkaError` naming the file and line that cannot be read.
    public mutating func addProperties(fromFile path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw KafkaError(operation: "reading properties file \(path)", message: "cannot read the file")
        }
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw KafkaError(operation: "reading properties file \(path)", message: "line \(number + 1) has no '='")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            properties[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
    }

    /// All properties as librdkafka receives them.
    var librdkafkaProperties: [String: String] {
        var all = properties
        all["bootstrap.servers"] = bootstrapServers
        if let groupID { all["group.id"] = groupID }
        return all
    }

    /// Whether a property holds a secret that must never be shown.
    static func isSecret(_ key: String) -> Bool {
        let key = key.lowercased()
        return ["password", "secret", "token", "sasl.jaas.config", "sasl.oauthbearer.config", ".pem", "ssl.key"]
            .contains { key.contains($0) }
    }

    public var description: String {
        librdkafkaProperties.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Self.isSecret($0.key) ? "<redacted>" : $0.value)" }
            .joined(separator: ", ")
    }
}
