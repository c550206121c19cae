import ArgumentParser
import DashboardPipelines
import Foundation
import Locking
import StreamCore
import StreamDashboard
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
struct DashboardBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard-bench",
        abstract: "The dashboard pipeline's batch time with no page open, then with many pages and one that never reads.",
        discussion: """
            Runs tweet-dashboard's pipeline on generated tweets in real time, alternating each second between no
            page connected and --pages event streams reading plus one connected page that never reads (a stalled
            browser). Prints the median and 90th percentile processing time per batch of each side, their ratio,
            the events the pages read and how many pages the dashboard dropped for falling behind.
            """)

    @Option(help: "Batches per second.")
    var batchesPerSecond = 10

    @Option(help: "Generated tweets per batch.")
    var tweetsPerBatch = 50

    @Option(help: "Event streams reading in the second run.")
    var pages = 20

    @Option(help: "Seconds measured each way (with and without pages), alternating second by second.")
    var seconds = 10

    func run() async throws {
        let interval = Duration.milliseconds(1000 / Int64(batchesPerSecond))
        let checkpoint = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-bench-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: checkpoint) }
        let context = StreamingContext(batchInterval: interval, checkpoint: try CheckpointStore(directory: checkpoint))
        let dashboard = try Dashboard(title: "bench")
        _ = try DashboardPipeline.build(
            context.stream(from: GeneratedTweetSource(tweetsPerBatch: tweetsPerBatch), name: "tweets"), on: dashboard,
            window: .seconds(60))
        let times = BatchTimes()
        context.addListener(times)
        let port = try await dashboard.start().port!
        try context.start()
        try await Task.sleep(for: .seconds(1))  // warm-up, not counted

        // The same running pipeline alternates: a second with no page, a second with the pages
        // (and one that never reads), so drift on a noisy machine hits both sides alike.
        var eventsRead = 0
        for _ in 0..<seconds {
            times.phase.store(1, ordering: .relaxed)
            try await Task.sleep(for: .seconds(1))
            times.phase.store(0, ordering: .relaxed)  // connecting is not counted
            let readers = (0..<pages).map { _ in EventStreamReader(port: port, reads: true) }
            let staller = EventStreamReader(port: port, reads: false)
            try await Task.sleep(for: .milliseconds(300))
            times.phase.store(2, ordering: .relaxed)
            try await Task.sleep(for: .seconds(1))
            times.phase.store(0, ordering: .relaxed)
            eventsRead += readers.reduce(0) { $0 + $1.stop() }
            _ = staller.stop()
        }
        await context.stop(gracefully: false)
        let dropped = dashboard.health.droppedClients
        await dashboard.stop()

        let alone = times.milliseconds(in: 1), watched = times.milliseconds(in: 2)
        guard !alone.isEmpty, !watched.isEmpty else { throw ValidationError("no batch completed in \(seconds) s") }
        print(
            "batch processing time, \(batchesPerSecond) batches/s, \(tweetsPerBatch) tweets a batch, \(seconds) s each way, alternating"
        )
        print("pages   median ms   p90 ms   batches")
        for (label, run) in [("0", alone), ("\(pages)+1", watched)] {
            let figures = String(format: "%9.2f %8.2f %9d", median(run), percentile(run, 0.9), run.count)
            print(label.padding(toLength: 7, withPad: " ", startingAt: 0) + figures)
        }
        print(String(format: "median ratio (pages / none): %.3f", median(watched) / median(alone)))
        print("events read by the pages: \(eventsRead); pages dropped for falling behind: \(dropped)")
    }

    private func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    private func percentile(_ values: [Double], _ share: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]
    }
}

/// Every completed batch's processing time, by the phase it completed in (0: not counted).
final class BatchTimes: StreamingListener {
    let phase = Atomic<Int>(0)
    private let times = Locked<[(phase: Int, milliseconds: Double)]>([])

    func batchCompleted(_ batch: BatchInfo) {
        guard let time = batch.processingTime else { return }
        let phase = phase.load(ordering: .relaxed)
        let milliseconds = Double(time.components.attoseconds) / 1e15 + Double(time.components.seconds) * 1000
        times.withLock { $0.append((phase, milliseconds)) }
    }

    func milliseconds(in phase: Int) -> [Double] {
        times.withLock { $0.filter { $0.phase == phase }.map(\.milliseconds) }
    }
}

/// A page's event stream over a plain socket: a thread reads it and counts events, or (a
/// stalled page) nobody reads it, with a tiny receive buffer so the server's queue fills.
final class EventStreamReader: Sendable {
    private final class Progress: Sendable {
        let events = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
    }

    private let descriptor: Int32
    private let progress = Progress()

    init(port: Int, reads: Bool) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if !reads {
            var size: Int32 = 2048
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let request = Array("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
        guard reads else { return }
        let progress = self.progress
        Thread { [fd] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            var previous: UInt8 = 0
            while !progress.done.load(ordering: .relaxed) {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count <= 0 { break }
                for byte in buffer[..<count] {
                    if byte == 0x0A, previous == 0x0A { progress.events.add(1, ordering: .relaxed) }
                    previous = byte
                }
            }
        }.start()
    }

    /// Closes the stream; returns the events read.
    func stop() -> Int {
        progress.done.store(true, ordering: .relaxed)
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
        return progress.events.load(ordering: .relaxed)
    }
}
