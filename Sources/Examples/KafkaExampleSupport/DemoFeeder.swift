import Foundation
import KafkaSource

/// Writes generated records to the embedded broker so a demo has something to process.
public enum DemoFeeder {
    /// Says on stderr that the embedded broker runs and starts a thread that sends `rate`
    /// records a second from `records` to `topic`, until the generator ends or a send fails
    /// (reported on stderr).
    public static func feed<Records: IteratorProtocol & Sendable>(
        _ broker: EmbeddedKafkaBroker, _ configuration: KafkaConfiguration, topic: String, rate: Int, records: Records
    ) throws where Records.Element == String {
        FileHandle.standardError.write(
            Data(
                "no --bootstrap-servers: embedded broker at \(broker.bootstrapServers), fed \(rate) generated tweets/s\n".utf8))
        let producer = try KafkaProducer(configuration)
        let thread = Thread {
            var records = records
            let perTick = max(1, rate / 10)
            while true {
                let batch = (0..<perTick).compactMap { _ in
                    records.next().map { KafkaProducerRecord(topic: topic, value: $0) }
                }
                do { try producer.send(batch) } catch {
                    FileHandle.standardError.write(Data("demo feeder: \(error)\n".utf8))
                    return
                }
                if batch.count < perTick { return }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        thread.start()
    }
}
