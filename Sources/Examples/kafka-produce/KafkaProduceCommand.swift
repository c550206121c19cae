import ArgumentParser
import ExampleSupport
import Foundation
import KafkaExampleSupport
import KafkaSource

@main
struct KafkaProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-produce",
        abstract:
            "Writes lines from standard input or a file to a Kafka topic, one record per line (like kafka-console-producer).",
        discussion: """
            Every record is confirmed by the broker before the program exits; a failure is reported and exits non-zero.
            Example: kafka-produce --bootstrap-servers localhost:9092 --topic tweets-kafka --input tweets.txt
            """)

    @OptionGroup(title: "Kafka")
    var kafka: KafkaConnectionOptions

    @Option(help: ArgumentHelp("Read lines from this file ('-' for standard input).", valueName: "path"))
    var input = "-"

    @Option(help: "Records sent per round trip (progress is shown after each).")
    var chunk = 10_000

    @Option(
        help: "Records per second (paced, one chunk of a tenth of a second at a time); default: as fast as the broker takes them."
    )
    var rate: Int?

    @Option(help: "Create the topic with this many partitions if it does not exist (else the broker decides, on first use).")
    var partitions: Int?

    func validate() throws {
        try FlagCheck.integer(chunk, "--chunk", in: 1...10_000_000)
        if let partitions { try FlagCheck.integer(partitions, "--partitions", in: 1...100_000) }
        if let rate { try FlagCheck.integer(rate, "--rate", in: 1...10_000_000) }
    }

    func run() throws {
        let (configuration, broker) = try kafka.connect()
        if let broker {
            FileHandle.standardError.write(
                Data(
                    "no --bootstrap-servers: writing to an embedded broker at \(broker.bootstrapServers), which stops with this program\n"
                        .utf8))
        }
        let (lines, rejected) = try RecordFile.linesAndRejections(of: input)
        let producer = try KafkaProducer(configuration)
        if let partitions { try producer.createTopics([kafka.topic], partitions: partitions) }
        var sent = 0
        let chunk = rate.map { max(1, $0 / 10) } ?? chunk
        let started = Date()
        for start in stride(from: 0, to: lines.count, by: chunk) {
            if let rate {  // this chunk's time on the paced schedule
                Thread.sleep(until: started.addingTimeInterval(Double(start) / Double(rate)))
            }
            let records = lines[start..<min(start + chunk, lines.count)].map {
                KafkaProducerRecord(topic: kafka.topic, value: $0)
            }
            try producer.send(records)
            sent += records.count
            FileHandle.standardError.write(Data("sent \(sent)/\(lines.count) records to \(kafka.topic)\n".utf8))
        }
        withExtendedLifetime(broker) {}
        if rejected > 0 {
            FileHandle.standardError.write(
                Data("\(rejected) input lines were not sent (not UTF-8, or over 1 MiB): exiting with 65\n".utf8))
            throw ExitCode(65)  // EX_DATAERR: every valid line was sent and confirmed, some input was not
        }
    }
}
