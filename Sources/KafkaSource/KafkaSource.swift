import CRdKafka

/// Kafka for StreamCore, on librdkafka. The direct stream and the sink are being built
/// (see the KafkaSource issue); today this module links librdkafka and reports its version.
public enum KafkaSource {
    /// The version of the librdkafka the process runs with, e.g. "2.0.2".
    public static var librdkafkaVersion: String { String(cString: rd_kafka_version_str()) }
}
