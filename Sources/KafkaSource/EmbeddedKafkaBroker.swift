/// A Kafka cluster inside this process, for demos and tests with nothing to install:
/// librdkafka's mock cluster, listening on loopback TCP ports that any Kafka client (kcat
/// included) can use.
///
/// - Important: Not for production or benchmarks: it keeps only a few MiB per partition and
///   silently drops older records; its API is experimental in librdkafka. See Docs/Kafka.md.
///
/// Sendable: immutable; the mock cluster is Sendable on its own terms.
public final class EmbeddedKafkaBroker: @unchecked Sendable {
    private let cluster: RDKafkaMockCluster

    /// Starts `brokers` brokers.
    public init(brokers: Int = 1) throws {
        cluster = try RDKafkaMockCluster(brokers: brokers)
    }

    /// `host:port,…` of the brokers.
    public var bootstrapServers: String { cluster.bootstrapServers }

    /// A configuration that reaches this cluster.
    public func configuration(groupID: String? = nil) -> KafkaConfiguration {
        KafkaConfiguration(bootstrapServers: bootstrapServers, groupID: groupID)
    }

    /// Creates a topic (topics are also created on first use, with 4 partitions).
    public func createTopic(_ name: String, partitions: Int = 4) throws {
        try cluster.createTopic(name, partitions: partitions)
    }

    /// Takes a broker down (connections refused) or back up: fault injection.
    public func setBroker(_ id: Int32, up: Bool) {
        cluster.setBroker(id, up: up)
    }

    /// Makes the next requests of a Kafka API (0 Produce, 1 Fetch, 2 ListOffsets, 3 Metadata,
    /// 8 OffsetCommit, …) fail with these error codes, in order: fault injection.
    public func failNextRequests(apiKey: Int16, withErrors errors: [KafkaError.Code]) {
        cluster.pushRequestErrors(apiKey: apiKey, errors: errors.map(\.rawValue))
    }
}
