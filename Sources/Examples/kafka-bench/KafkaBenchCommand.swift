import ArgumentParser
import ExampleSupport
import Foundation
import KafkaSource
import Locking
import StreamCore

@main
struct KafkaBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-bench",
        abstract: "Measures the Kafka direct stream against `kcat -C -e` reading the same topic from the same broker.",
        discussion: """
            Writes --records records to a new topic, then reads them all with kcat and with a trivial StreamCore
            pipeline (direct stream → count), and prints records/s of each and their ratio (target ≥ 0.80).
            Run it against a real broker: bash scripts/kafka-bench.sh starts one (noida-db) and runs this in release mode.
            """)

    @Option(help: "Kafka bootstrap servers of the broker to measure.")
    var bootstrapServers: String

    @Option(help: "Records to write and read.")
    var records = 500_000

    @Option(help: "Bytes per record value.")
    var recordBytes = 100

    @Option(help: "Runs of each reader; the best is reported.")
    var repeats = 3

    func validate() throws {
        try FlagCheck.integer(records, "--records", in: 1...1_000_000_000)
        try FlagCheck.integer(recordBytes, "--record-bytes", in: 1...100_000_000)
        try FlagCheck.integer(repeats, "--repeats", in: 1...1_000)
    }

    func run() async throws {
        let topic = "bench-\(UUID().uuidString.prefix(8))"
        let configuration = KafkaConfiguration(bootstrapServers: bootstrapServers)
        try write(topic: topic, configuration: configuration)

        var kcat = Double.infinity, library = Double.infinity
        for _ in 0..<repeats {
            kcat = min(kcat, try kcatSeconds(topic: topic))
            library = min(library, try await librarySeconds(topic: topic, configuration: configuration))
        }
        let kcatRate = Double(records) / kcat, libraryRate = Double(records) / library
        print("\(records) records of \(recordBytes) bytes, best of \(repeats)")
        print("  kcat -C -e      \(String(format: "%10.0f", kcatRate)) records/s")
        print("  direct stream   \(String(format: "%10.0f", libraryRate)) records/s")
        print("  ratio           \(String(format: "%.2f", libraryRate / kcatRate)) (target ≥ 0.80)")
    }

    private func write(topic: String, configuration: KafkaConfiguration) throws {
        let producer = try KafkaProducer(configuration)
        let value = String(repeating: "x", count: recordBytes)
        for start in stride(from: 0, to: records, by: 50_000) {
            try producer.send((start..<min(start + 50_000, records)).map { _ in KafkaProducerRecord(topic: topic, value: value) })
        }
        FileHandle.standardError.write(Data("wrote \(records) records to \(topic)\n".utf8))
    }

    private func kcatSeconds(topic: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kcat", "-C", "-b", bootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("kcat failed (is it installed? apt-get install kcat)") }
        return (ContinuousClock.now - started).seconds
    }

    private func librarySeconds(topic: String, configuration: KafkaConfiguration) async throws -> Double {
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        let counted = Counter()
        let source = KafkaDirectSource(configuration, options: .init(topics: [topic], startingOffsets: .earliest))
        try context.stream(from: source).count().foreachBatch { batch, _ in counted.add(batch.records.first ?? 0) }
        let started = ContinuousClock.now
        try context.start()
        while counted.value < records, !context.isStopped { await clock.advance(by: .seconds(1)) }
        let elapsed = ContinuousClock.now - started
        await context.stop(gracefully: false)
        try await context.awaitTermination()
        return elapsed.seconds
    }
}

final class Counter: Sendable {
    private let total = Locked(0)

    func add(_ n: Int) {
        total.withLock { $0 += n }
    }

    var value: Int { total.withLock { $0 } }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
