import Foundation

/// Where a stream's records come from. The scheduler asks the source, once per batch, for the
/// records that belong to that batch.
///
/// Replayable sources (files, Kafka) return a *position* after each batch; it goes into the
/// checkpoint with the state, so a restore continues exactly after the last completed batch.
/// Receiver sources (sockets, HTTP streams) buffer records between batches in a bounded buffer.
public protocol StreamSource<Element>: AnyObject, Sendable {
    associatedtype Element: Sendable

    /// Whether the source hands the same records to the same batches again after a restore
    /// from its checkpoint position (files, Kafka, `ReplaySource`). `getOrCreate` refuses a
    /// source that is not replayable and already holds records: a restart would count them
    /// twice. Receivers (sockets, HTTP streams) are not replayable but start empty.
    var isReplayable: Bool { get }
    /// Starts receiving (connect, spawn readers). Called by `StreamingContext.start()`.
    func start() throws
    /// Stops receiving. Records already received stay available for a graceful stop.
    func stop()
    /// The records of the batch at `time`. Called once per batch, on the scheduler thread.
    func records(for time: BatchTime) throws -> [Element]
    /// Whether records were received but not yet handed to a batch (a graceful stop drains them).
    var hasPendingRecords: Bool { get }
    /// Records received and waiting for a later batch.
    var waitingRecords: Int { get }
    /// Records rejected so far (malformed, over-long, invalid UTF-8); never silently dropped.
    var rejectedRecords: Int { get }
    /// The position after the last batch cut, for the checkpoint; nil if not replayable.
    func checkpointPosition() throws -> Data?
    /// Continue from a position saved by `checkpointPosition()`.
    func restore(position: Data) throws
    /// The batch at `time` completed: its outputs succeeded and its checkpoint was handed to
    /// the writer (e.g. commit offsets to a consumer group now).
    func didCompleteBatch(at time: BatchTime)
    /// Problems the source recovered from since the last call (retries, reconnects), for
    /// `BatchInfo.sourceWarnings`.
    func takeWarnings() -> [String]
}

extension StreamSource {
    public var isReplayable: Bool { false }
    public func start() throws {}
    public func stop() {}
    public var hasPendingRecords: Bool { waitingRecords > 0 }
    public var waitingRecords: Int { 0 }
    public var rejectedRecords: Int { 0 }
    public func checkpointPosition() throws -> Data? { nil }
    public func restore(position: Data) throws {}
    public func didCompleteBatch(at time: BatchTime) {}
    public func takeWarnings() -> [String] { [] }
}

/// A record a source could not turn into an element, with the reason (a dead letter).
public struct RejectedRecord: Sendable {
    /// The source's name.
    public var source: String
    /// Why it was rejected, e.g. "line longer than 1048576 bytes".
    public var reason: String
    /// The raw bytes (at most the first 4 KiB).
    public var bytes: [UInt8]

    /// A dead letter; keeps at most the first 4 KiB of `bytes`.
    public init(source: String, reason: String, bytes: some Collection<UInt8>) {
        self.source = source
        self.reason = reason
        self.bytes = Array(bytes.prefix(4096))
    }
}

extension StreamingContext {
    /// A stream of the records `source` hands to each batch.
    /// - Parameters:
    ///   - source: where the records come from.
    ///   - name: the source's name in listeners and checkpoints (made unique).
    public func stream<Source: StreamSource>(from source: Source, name: String = "source") -> DStream<Source.Element> {
        let adapter = SourceAdapter(source)
        let unique = register(source: adapter, named: name)
        let parallelism = executor.parallelism
        return DStream(context: self, lineage: unique, parents: [], slide: 1) { position in
            if let replay = source as? ReplaySource<String>, let lines = try replay.lineBatch(for: position.time) {
                adapter.lastBatchRecords = lines.count
                let stage = Stage<String>(lines: lines, into: parallelism) as! Stage<Source.Element>  // Element is String
                return stage
            }
            let records = try source.records(for: position.time)
            adapter.lastBatchRecords = records.count
            return Stage(splitting: consume records, into: parallelism)
        }
    }
}

/// What the scheduler needs of a source, without its element type.
protocol SourceNode: AnyObject, Sendable {
    var sourceName: String { get set }
    /// The source's type, for messages.
    var typeName: String { get }
    var isReplayable: Bool { get }
    var lastBatchRecords: Int { get }
    var hasPendingRecords: Bool { get }
    var waitingRecords: Int { get }
    var rejectedRecords: Int { get }
    func startSource() throws
    func stopSource()
    func checkpointPosition() throws -> Data?
    func restore(position: Data) throws
    func didCompleteBatch(at time: BatchTime)
    func takeWarnings() -> [String]
}

// Sendable: `sourceName` is set before start and `lastBatchRecords` only by the scheduler thread; the wrapped source is Sendable.
private final class SourceAdapter<Source: StreamSource>: SourceNode, @unchecked Sendable {
    let source: Source
    var sourceName = ""
    var lastBatchRecords = 0

    init(_ source: Source) {
        self.source = source
    }

    var typeName: String { String(describing: Source.self) }
    var isReplayable: Bool { source.isReplayable }
    var hasPendingRecords: Bool { source.hasPendingRecords }
    var waitingRecords: Int { source.waitingRecords }
    var rejectedRecords: Int { source.rejectedRecords }
    func startSource() throws { try source.start() }
    func stopSource() { source.stop() }
    func checkpointPosition() throws -> Data? { try source.checkpointPosition() }
    func restore(position: Data) throws { try source.restore(position: position) }
    func didCompleteBatch(at time: BatchTime) { source.didCompleteBatch(at: time) }
    func takeWarnings() -> [String] { source.takeWarnings() }
}
