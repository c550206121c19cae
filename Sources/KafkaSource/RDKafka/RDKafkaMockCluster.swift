import CRdKafka

/// librdkafka's built-in mock cluster: real Kafka brokers on loopback ports, in this process.
///
/// Sendable: immutable after init; librdkafka's mock cluster calls are thread-safe.
final class RDKafkaMockCluster: @unchecked Sendable {
    private let owner: RDKafkaClient
    private let cluster: OpaquePointer
    let bootstrapServers: String

    init(brokers: Int) throws {
        // The handle that owns the cluster never connects anywhere: keep it quiet.
        owner = try RDKafkaClient(.producer, properties: ["log_level": "3"])
        guard let cluster = owner.newMockCluster(brokers: Int32(brokers)) else {
            throw KafkaError(operation: "starting the embedded broker", message: "librdkafka could not create a mock cluster")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    func createTopic(_ name: String, partitions: Int) throws {
        let error = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), 1)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, operation: "creating topic '\(name)'") }
    }

    func setBroker(_ id: Int32, up: Bool) {
        _ = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
    }

    func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        var codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        rd_kafka_mock_push_request_errors_array(cluster, apiKey, codes.count, &codes)
    }

    func setTopicError(_ topic: String, error: Int32) {
        rd_kafka_mock_topic_set_error(cluster, topic, rd_kafka_resp_err_t(rawValue: error))
    }
}
