import KafkaSource
import StreamCore

extension TweetRouter {
    /// Sends each routed tweet to `topic`: its original JSON, keyed by its id.
    ///
    /// A batch ends only when Kafka confirmed every delivery, and the context commits the
    /// input offsets after that: a crash can re-send the routed tweets of the batch it
    /// interrupted, never lose one (at-least-once; the id key lets a compacted topic or a
    /// consumer drop the repeats).
    public static func send(
        _ classified: DStream<RoutingDecision>, to topic: String, with configuration: KafkaConfiguration
    ) throws {
        try classified.filter { $0.stage == .routed }.saveToKafka(configuration, name: "routed to \(topic)") { decision in
            KafkaProducerRecord(topic: topic, key: decision.tweet?.id, value: decision.record)
        }
    }
}
