import Foundation
import KafkaSource
import StreamCore
import TutorialPipelines
import TwitterSource

/// `twitter-to-kafka`'s pipeline: posts from the X stream written to Kafka, each batch one
/// confirmed write (key: the post id). Also what feeds `lake ingest`'s embedded broker.
public enum TweetsToKafka {
    /// What a record's value holds.
    public enum Value: String, Sendable {
        /// The post's text (tutorial 000).
        case text
        /// The decoded post as JSON (`Tweet(record:)` reads it back).
        case json
    }

    /// Adds the pipeline to `context`: posts about Data Science / AI / Machine Learning / Big
    /// Data go to `dataTopic` when one is given (tutorial 003's split), the others to `topic`.
    public static func build(
        in context: StreamingContext, stream: TwitterStreamConfiguration, kafka: KafkaConfiguration, topic: String,
        dataTopic: String? = nil, value: Value = .text
    ) throws {
        let encoder = JSONEncoder()
        try context.stream(from: TwitterStreamSource(stream), name: "x-stream").saveToKafka(kafka) { tweet in
            let target = dataTopic.flatMap { TopicSplit.isAboutData(tweet.text) ? $0 : nil } ?? topic
            let payload = value == .json ? Array(try encoder.encode(tweet)) : Array(tweet.text.utf8)
            return KafkaProducerRecord(topic: target, key: Array(tweet.id.utf8), value: payload)
        }
    }
}
