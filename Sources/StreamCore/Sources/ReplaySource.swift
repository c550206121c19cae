import Foundation
import Locking

/// Recorded records replayed as batches of a fixed size: batch *k* holds records
/// (k−1)·N+1 … k·N, then batches are empty. The number of records handed out is the
/// checkpoint position, so a pipeline restored with `getOrCreate` continues exactly where it
/// stopped: nothing is counted twice or skipped.
///
/// This is how to test a pipeline on recorded data, with a `ManualClock` driving the batches:
///
/// ```swift
/// let clock = ManualClock()
/// let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
/// let lines = context.stream(from: ReplaySource(["a b", "b"], recordsPerBatch: 1))
/// try lines.words().countByValue().foreachBatch { batch, time in … }
/// try context.start()
/// await clock.advance(by: .seconds(2))     // both batches have completed
/// ```
///
/// Sendable: the reader and the count handed out are a `Locked` value.
public final class ReplaySource<Element: Sendable>: StreamSource, @unchecked Sendable {
    /// Records per batch.
    public let recordsPerBatch: Int
    private let state: Locked<State>

    private struct State {
        var records: any RecordReader<Element>
        var handedOut = 0
    }

    /// A source replaying `records`, `recordsPerBatch` a batch.
    public convenience init(_ records: [Element], recordsPerBatch: Int) {
        self.init(reader: ArrayRecordReader(records: records), recordsPerBatch: recordsPerBatch)
    }

    init(reader: any RecordReader<Element>, recordsPerBatch: Int) {
        precondition(recordsPerBatch > 0, "ReplaySource needs at least one record per batch")
        self.recordsPerBatch = recordsPerBatch
        state = Locked(State(records: reader))
    }

    public var isReplayable: Bool { true }

    public func records(for time: BatchTime) throws -> [Element] {
        try state.withLock { state in
            let batch = try state.records.next(recordsPerBatch)
            state.handedOut += batch.count
            return batch
        }
    }

    /// The batch at `time` as lines kept in bytes, when the records are a file's lines.
    func lineBatch(for time: BatchTime) throws -> LineBatch? {
        try state.withLock { state in
            guard let batch = try state.records.nextLines(recordsPerBatch) else { return nil }
            state.handedOut += batch.count
            return batch
        }
    }

    /// Whether records remain (a read error counts as pending: the next batch reports it).
    public var hasPendingRecords: Bool { state.withLock { (try? !$0.records.isExhausted()) ?? true } }
    public var rejectedRecords: Int { state.withLock { $0.records.rejected } }

    /// The number of records handed to batches so far.
    public func checkpointPosition() throws -> Data? {
        let handedOut = state.withLock { $0.handedOut }
        return Data(String(handedOut).utf8)
    }

    public func restore(position: Data) throws {
        guard let count = Int(String(decoding: position, as: UTF8.self)), count >= 0 else {
            throw StreamingError.invalidArgument(name: "ReplaySource position", reason: "not a record count")
        }
        try state.withLock { state in
            guard state.handedOut == 0 else {
                throw StreamingError.invalidArgument(name: "ReplaySource", reason: "restore before the first batch")
            }
            let skipped = try state.records.skip(count)
            guard skipped == count else {
                throw StreamingError.invalidArgument(
                    name: "ReplaySource position",
                    reason: "the checkpoint has read \(count) records but the input holds only \(skipped): is it the same input?")
            }
            state.handedOut = count
        }
    }
}

extension ReplaySource where Element == String {
    /// A source replaying the lines of a file (`"-"` for standard input), read in large blocks
    /// as batches need them: memory holds about one batch, whatever the file's size. Lines
    /// end in `\n` (a `\r` before it is removed); a line that is not UTF-8 or is longer than
    /// `maxLineBytes` is not a record: it is counted in `rejectedRecords` and passed to
    /// `onRejected`. A stream of this source keeps its lines as the bytes read until an
    /// operator asks for strings: `words()` tokenizes the bytes in place.
    /// - Throws: `StreamingError.invalidArgument` when the file cannot be opened.
    public static func lines(
        ofFile path: String, recordsPerBatch: Int, maxLineBytes: Int = 1 << 20,
        onRejected: (@Sendable (RejectedRecord) -> Void)? = nil
    ) throws -> ReplaySource<String> {
        ReplaySource(
            reader: try LineFileReader(path: path, maxLineBytes: maxLineBytes, onRejected: onRejected),
            recordsPerBatch: recordsPerBatch)
    }
}

/// Where a replay's records come from.
protocol RecordReader<Element> {
    associatedtype Element
    /// Up to `count` next records; fewer only at the end.
    mutating func next(_ count: Int) throws -> [Element]
    /// Skips up to `count` records; returns how many it skipped.
    mutating func skip(_ count: Int) throws -> Int
    /// Whether no record remains (reads ahead if it must).
    mutating func isExhausted() throws -> Bool
    var rejected: Int { get }
    /// Up to `count` next records as lines kept in bytes, if the records are lines; else nil.
    mutating func nextLines(_ count: Int) throws -> LineBatch?
}

extension RecordReader {
    mutating func nextLines(_ count: Int) throws -> LineBatch? { nil }
}

struct ArrayRecordReader<Element>: RecordReader {
    let records: [Element]
    var offset = 0

    mutating func next(_ count: Int) throws -> [Element] {
        let end = offset + min(count, records.count - offset)
        defer { offset = end }
        return Array(records[offset..<end])
    }

    mutating func skip(_ count: Int) throws -> Int {
        let end = offset + min(count, records.count - offset)
        defer { offset = end }
        return end - offset
    }

    func isExhausted() -> Bool { offset >= records.count }
    var rejected: Int { 0 }
}

/// The lines of a file, read block by block, validated on all cores and kept as bytes until
/// a consumer asks for strings.
struct LineFileReader: RecordReader {
    private let file: FileHandle
    private let path: String
    private let onRejected: (@Sendable (RejectedRecord) -> Void)?
    private var framer: LineFramer
    /// Lines read and not yet handed out: `chunks[0]` from line `used` on, then the others.
    private var chunks: [LineChunk] = []
    private var used = 0
    /// One block, reused: a fresh 4 MiB buffer per read costs page faults on every block.
    private var block = [UInt8](repeating: 0, count: blockSize)
    private let executor = ParallelExecutor(parallelism: ProcessInfo.processInfo.activeProcessorCount)
    private var atEnd = false
    private(set) var rejected = 0

    private static let blockSize = 4 << 20

    init(path: String, maxLineBytes: Int, onRejected: (@Sendable (RejectedRecord) -> Void)?) throws {
        if path == "-" {
            file = FileHandle.standardInput
        } else {
            // open(2) rather than FileManager: /dev/stdin, pipes and process substitution work too.
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw StreamingError.invalidArgument(name: path, reason: String(cString: strerror(errno)))
            }
            file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }
        self.path = path
        self.onRejected = onRejected
        framer = LineFramer(maxLineBytes: maxLineBytes)
    }

    mutating func nextLines(_ count: Int) throws -> LineBatch? {
        var batch = LineBatch()
        var taken = 0
        while taken < count, try fill() {
            let end = used + min(chunks[0].count - used, count - taken)
            batch.append(chunks[0], lines: used..<end)
            taken += end - used
            used = end
        }
        return batch
    }

    mutating func next(_ count: Int) throws -> [String] {
        try nextLines(count)?.strings() ?? []
    }

    mutating func skip(_ count: Int) throws -> Int {
        try nextLines(count)?.count ?? 0
    }

    mutating func isExhausted() throws -> Bool { try !fill() }

    /// Makes sure lines are waiting in `chunks[0]`; false at the end of the file.
    private mutating func fill() throws -> Bool {
        if let first = chunks.first, used == first.count {
            chunks.removeFirst()
            used = 0
        }
        while chunks.isEmpty {
            guard !atEnd else { return false }
            let count = try readBlock()
            var rejections = 0
            let reject: (LineFramer.Rejection, ArraySlice<UInt8>) -> Void = { [path, onRejected] reason, bytes in
                rejections += 1
                onRejected?(RejectedRecord(source: path, reason: "\(reason)", bytes: bytes))
            }
            if count == 0 {
                atEnd = true
                framer.finish(into: &chunks, onRejected: reject)
            } else {
                try block.withUnsafeBytes { block in
                    try framer.append(
                        UnsafeRawBufferPointer(rebasing: block[..<count]), validatingOn: executor, into: &chunks,
                        onRejected: reject)
                }
            }
            rejected += rejections
        }
        return true
    }

    /// Fills `block` from the file; returns the number of bytes read, 0 at its end.
    private mutating func readBlock() throws -> Int {
        let descriptor = file.fileDescriptor
        let count = block.withUnsafeMutableBytes { buffer in
            while true {
                let count = read(descriptor, buffer.baseAddress, buffer.count)
                if count >= 0 || errno != EINTR { return count }
            }
        }
        guard count >= 0 else {
            throw StreamingError.invalidArgument(name: path, reason: String(cString: strerror(errno)))
        }
        return count
    }
}
